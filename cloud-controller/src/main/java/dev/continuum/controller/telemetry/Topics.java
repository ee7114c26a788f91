package dev.continuum.controller.telemetry;

import java.util.Optional;

/**
 * The telemetry topics of {@code telemetry.proto}: {@code continuum/v1/devices/{deviceId}/telemetry}
 * and {@code .../status}. A device may publish only under its own id.
 */
public final class Topics {
    public static final String PREFIX = "continuum/v1/devices/";
    /** Every device's telemetry, as a subscription filter. */
    public static final String ALL_TELEMETRY = PREFIX + "+/telemetry";
    /** Every device's status, as a subscription filter. */
    public static final String ALL_STATUS = PREFIX + "+/status";

    private Topics() {
    }

    public enum Kind {
        TELEMETRY, STATUS;

        public String suffix() {
            return this == TELEMETRY ? "telemetry" : "status";
        }
    }

    /** A topic's device and kind. */
    public record DeviceTopic(String deviceId, Kind kind) {
    }

    public static String of(String deviceId, Kind kind) {
        return PREFIX + deviceId + "/" + kind.suffix();
    }

    /** The shared-subscription form of a filter: {@code $share/<group>/<filter>}. */
    public static String shared(String group, String filter) {
        return "$share/" + group + "/" + filter;
    }

    /** The device and kind of a topic a device published on; empty for any other topic. */
    public static Optional<DeviceTopic> parse(String topic) {
        if (topic == null || !topic.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = topic.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || rest.indexOf('/', slash + 1) >= 0) {
            return Optional.empty();
        }
        String id = rest.substring(0, slash);
        if (id.contains("+") || id.contains("#")) {
            return Optional.empty();
        }
        return switch (rest.substring(slash + 1)) {
            case "telemetry" -> Optional.of(new DeviceTopic(id, Kind.TELEMETRY));
            case "status" -> Optional.of(new DeviceTopic(id, Kind.STATUS));
            default -> Optional.empty();
        };
    }
}
