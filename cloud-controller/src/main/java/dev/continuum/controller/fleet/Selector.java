package dev.continuum.controller.fleet;

import dev.continuum.controller.common.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Kubernetes-style label selector: comma-separated requirements, all of which must hold.
 * <pre>
 *   region=eu            label equals (also region==eu)
 *   region!=eu           label differs or is absent
 *   tier in (gold,silver)     tier notin (bronze)    (notin also matches an absent label)
 *   gpu                  label exists          !decommissioned   label absent
 * </pre>
 * The empty selector matches everything. Plain Java: parsing and matching need no database.
 */
public record Selector(List<Requirement> requirements) {
    private static final Pattern KEY = Pattern.compile("([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");
    private static final Pattern VALUE = Pattern.compile("([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?");

    public enum Op { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, NOT_EXISTS }

    /** One requirement; {@code values} is empty for EXISTS and NOT_EXISTS, one value for (NOT_)EQUALS. */
    public record Requirement(String key, Op op, Set<String> values) {
        public Requirement {
            values = Set.copyOf(values);
        }

        public boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (op) {
                case EXISTS -> v != null;
                case NOT_EXISTS -> v == null;
                case EQUALS, IN -> v != null && values.contains(v);
                case NOT_EQUALS, NOT_IN -> v == null || !values.contains(v);
            };
        }
    }

    public Selector {
        requirements = List.copyOf(requirements);
    }

    public static Selector everything() {
        return new Selector(List.of());
    }

    public boolean matches(Map<String, String> labels) {
        return requirements.stream().allMatch(r -> r.matches(labels));
    }

    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    /** @throws InvalidInputException naming field {@code selector} and the position of the problem */
    public static Selector parse(String text) {
        if (text == null || text.isBlank()) {
            return everything();
        }
        return new Parser(text).parse();
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        Selector parse() {
            List<Requirement> out = new ArrayList<>();
            while (true) {
                out.add(requirement());
                ws();
                if (end()) {
                    return new Selector(out);
                }
                expect(',');
            }
        }

        private Requirement requirement() {
            ws();
            if (peek('!')) {
                pos++;
                String key = key();
                ws();
                if (!end() && !peek(',')) {
                    throw error("expected ',' or the end after '!" + key + "'");
                }
                return new Requirement(key, Op.NOT_EXISTS, Set.of());
            }
            String key = key();
            ws();
            if (end() || peek(',')) {
                return new Requirement(key, Op.EXISTS, Set.of());
            }
            if (s.startsWith("==", pos)) {
                pos += 2;
                return new Requirement(key, Op.EQUALS, Set.of(value()));
            }
            if (s.startsWith("!=", pos)) {
                pos += 2;
                return new Requirement(key, Op.NOT_EQUALS, Set.of(value()));
            }
            if (peek('=')) {
                pos++;
                return new Requirement(key, Op.EQUALS, Set.of(value()));
            }
            String word = word();
            if (word.equals("in")) {
                return new Requirement(key, Op.IN, set());
            }
            if (word.equals("notin")) {
                return new Requirement(key, Op.NOT_IN, set());
            }
            throw error("expected '=', '==', '!=', 'in', 'notin', ',' or the end after key '" + key + "'"
                    + (word.isEmpty() ? "" : ", found '" + word + "'"));
        }

        private Set<String> set() {
            ws();
            expect('(');
            List<String> values = new ArrayList<>();
            while (true) {
                values.add(value());
                ws();
                if (peek(')')) {
                    pos++;
                    return Set.copyOf(values);
                }
                expect(',');
            }
        }

        private String key() {
            ws();
            int start = pos;
            while (!end() && (Character.isLetterOrDigit(s.charAt(pos)) || "._-/".indexOf(s.charAt(pos)) >= 0)) {
                pos++;
            }
            String key = s.substring(start, pos);
            if (key.isEmpty()) {
                throw error("expected a label key");
            }
            if (!KEY.matcher(key).matches()) {
                throw error("'" + key + "' is not a valid label key");
            }
            return key;
        }

        private String value() {
            ws();
            int start = pos;
            while (!end() && (Character.isLetterOrDigit(s.charAt(pos)) || "._-".indexOf(s.charAt(pos)) >= 0)) {
                pos++;
            }
            String v = s.substring(start, pos);
            if (!VALUE.matcher(v).matches()) {
                throw error("'" + v + "' is not a valid label value");
            }
            return v;
        }

        private String word() {
            int start = pos;
            while (!end() && Character.isLetter(s.charAt(pos))) {
                pos++;
            }
            return s.substring(start, pos);
        }

        private void ws() {
            while (!end() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private boolean end() {
            return pos >= s.length();
        }

        private boolean peek(char c) {
            return !end() && s.charAt(pos) == c;
        }

        private void expect(char c) {
            ws();
            if (!peek(c)) {
                throw error("expected '" + c + "'" + (end() ? " but the selector ended" : ", found '" + s.charAt(pos) + "'"));
            }
            pos++;
        }

        private InvalidInputException error(String what) {
            return new InvalidInputException("selector", "selector '" + s + "' at position " + pos + ": " + what);
        }
    }
}
