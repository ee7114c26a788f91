package dev.continuum.controller.common;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Timestamps at the precision both datastores keep (microseconds), so a value reads back as written. */
public final class Times {
    private Times() {
    }

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
