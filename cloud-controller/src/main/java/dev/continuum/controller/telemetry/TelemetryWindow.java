package dev.continuum.controller.telemetry;

import dev.continuum.controller.common.InvalidInputException;
import dev.continuum.controller.common.Times;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The {@code since} / {@code until} query parameters: ISO-8601 instants, by default the last hour. */
record TelemetryWindow(Instant since, Instant until) {
    static final Duration DEFAULT_SPAN = Duration.ofHours(1);

    static TelemetryWindow parse(String since, String until) {
        Instant u = until == null || until.isBlank() ? null : instant("until", until);
        Instant s = since == null || since.isBlank() ? null : instant("since", since);
        if (u == null) {
            u = Times.now();
        }
        if (s == null) {
            s = u.minus(DEFAULT_SPAN);
        }
        if (s.isAfter(u)) {
            throw new InvalidInputException("since", "since (" + s + ") must not be after until (" + u + ")");
        }
        return new TelemetryWindow(s, u);
    }

    private static Instant instant(String field, String value) {
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field, field + " must be an ISO-8601 instant such as 2024-05-01T12:00:00Z, got '"
                    + value + "'");
        }
    }
}
