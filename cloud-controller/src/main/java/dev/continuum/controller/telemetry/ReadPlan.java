package dev.continuum.controller.telemetry;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Which rows answer a window: the per-minute rollups for every whole minute in it, and the raw rows
 * for the partial minutes at its edges, as long as those lie within the raw retention. An edge older
 * than that is widened to its whole minute, so {@link #since()} / {@link #until()} say what was read.
 *
 * @param rollupFrom first minute read from the rollups (inclusive); equal to rollupTo when none
 * @param raw        half-open intervals read from the raw rows
 */
record ReadPlan(Instant since, Instant until, Instant rollupFrom, Instant rollupTo, List<Interval> raw) {
    /** A half-open interval [from, to). */
    record Interval(Instant from, Instant to) {
    }

    /** @param rawFrom the oldest instant sure to be in the raw rows (now minus the raw retention) */
    static ReadPlan of(Instant since, Instant until, Instant rawFrom) {
        if (since.isAfter(until)) {
            throw new IllegalArgumentException("since " + since + " is after until " + until);
        }
        Instant sinceUp = ceilMinute(since);
        Instant untilDown = floorMinute(until);
        List<Interval> raw = new ArrayList<>();
        if (!sinceUp.isBefore(untilDown)) { // no whole minute inside
            if (!since.isBefore(rawFrom)) {
                raw.add(new Interval(since, until));
                return new ReadPlan(since, until, since, since, raw);
            }
            Instant from = floorMinute(since);
            Instant to = ceilMinute(until);
            return new ReadPlan(from, to, from, to, raw);
        }
        Instant effectiveSince = since;
        Instant rollupFrom = sinceUp;
        if (since.isBefore(sinceUp)) {
            if (!since.isBefore(rawFrom)) {
                raw.add(new Interval(since, sinceUp));
            } else {
                rollupFrom = floorMinute(since);
                effectiveSince = rollupFrom;
            }
        }
        Instant effectiveUntil = until;
        Instant rollupTo = untilDown;
        if (untilDown.isBefore(until)) {
            if (!untilDown.isBefore(rawFrom)) {
                raw.add(new Interval(untilDown, until));
            } else {
                rollupTo = ceilMinute(until);
                effectiveUntil = rollupTo;
            }
        }
        return new ReadPlan(effectiveSince, effectiveUntil, rollupFrom, rollupTo, raw);
    }

    boolean readsRollups() {
        return rollupFrom.isBefore(rollupTo);
    }

    static Instant floorMinute(Instant t) {
        return t.truncatedTo(ChronoUnit.MINUTES);
    }

    static Instant ceilMinute(Instant t) {
        Instant down = floorMinute(t);
        return down.equals(t) ? t : down.plus(1, ChronoUnit.MINUTES);
    }
}
