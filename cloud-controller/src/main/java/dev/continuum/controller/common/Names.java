package dev.continuum.controller.common;

import java.util.Map;
import java.util.regex.Pattern;

/** Validation of the identifiers and labels the API accepts, with messages naming the field. */
public final class Names {
    /** Model names, versions, aliases, device ids: URL-safe, 1..128 characters. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /** Label keys in the Kubernetes style: optional DNS prefix, then a name. */
    private static final Pattern LABEL_KEY = Pattern.compile("([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?");

    public static final int MAX_DISPLAY_NAME = 200;

    private Names() {
    }

    public static String id(String field, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new InvalidInputException(field, field + " '" + value + "' is invalid: expected 1 to 128 characters "
                    + "of letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return value;
    }

    /** Human-readable names (tokens, devices): required, 1 to {@value #MAX_DISPLAY_NAME} characters. */
    public static String displayName(String field, String value) {
        if (value == null || value.isBlank() || value.length() > MAX_DISPLAY_NAME) {
            throw new InvalidInputException(field, field + " is required (1 to " + MAX_DISPLAY_NAME + " characters)");
        }
        return value;
    }

    public static void labels(String field, Map<String, String> labels) {
        if (labels == null) {
            return;
        }
        labels.forEach((k, v) -> {
            labelKey(field, k);
            if (v != null) {
                labelValue(field + "." + k, v);
            }
        });
    }

    public static String labelKey(String field, String key) {
        if (key == null || !LABEL_KEY.matcher(key).matches()) {
            throw new InvalidInputException(field, "label key '" + key + "' is invalid: expected an optional "
                    + "DNS prefix and '/', then 1 to 63 letters, digits, '.', '_' or '-'");
        }
        return key;
    }

    public static String labelValue(String field, String value) {
        if (value == null || !LABEL_VALUE.matcher(value).matches()) {
            throw new InvalidInputException(field, "label value '" + value + "' is invalid: expected up to 63 "
                    + "letters, digits, '.', '_' or '-', starting and ending with a letter or digit");
        }
        return value;
    }
}
