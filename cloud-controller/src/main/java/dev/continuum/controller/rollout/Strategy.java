package dev.continuum.controller.rollout;

import dev.continuum.controller.common.InvalidInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a rollout moves: cumulative waves, the bake time each wave must serve for, the health gates it must
 * pass, how many devices may be updating at once, and how long a device may take to update.
 *
 * @param waves             cumulative wave sizes; the last wave always covers every matching device
 * @param bakeTime          how long a wave must have been fully serving before it may pass
 * @param gates             health gates
 * @param maxInFlight       devices online, told to update and not yet serving the version, at most (≥ 1)
 * @param progressDeadline  an online device still not serving (nor failed) this long after it was told to update
 *                          fails the rollout (FAILED)
 */
public record Strategy(List<Wave> waves, Duration bakeTime, Gates gates, int maxInFlight, Duration progressDeadline) {
    public Strategy {
        if (waves == null || waves.isEmpty()) {
            throw new InvalidInputException("strategy.waves", "at least one wave is required, e.g. [\"1%\", \"10%\", "
                    + "\"50%\", \"100%\"]");
        }
        waves = checkCumulative(List.copyOf(waves));
        if (bakeTime == null || bakeTime.isNegative()) {
            throw new InvalidInputException("strategy.bakeTime", "bake time must be zero or positive, got " + bakeTime);
        }
        if (gates == null) {
            throw new InvalidInputException("strategy.gates", "health gates are required");
        }
        if (maxInFlight < 1) {
            throw new InvalidInputException("strategy.maxInFlight", "maxInFlight must be at least 1, got "
                    + maxInFlight);
        }
        if (progressDeadline == null || progressDeadline.isNegative() || progressDeadline.isZero()) {
            throw new InvalidInputException("strategy.progressDeadline", "progress deadline must be positive, got "
                    + progressDeadline);
        }
    }

    /** Waves 1%, 10%, 50%, 100%; bake 10 min; {@link Gates#defaults()}; 10 in flight; progress deadline 30 min. */
    public static Strategy defaults() {
        return new Strategy(waves("1%,10%,50%,100%"), Duration.ofMinutes(10), Gates.defaults(), 10,
                Duration.ofMinutes(30));
    }

    /** Parses "1%, 10%, 50%, 100%" or "1, 5, 20" (device counts) or a mix: "1, 10%, 100%". */
    public static List<Wave> waves(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("strategy.waves", "expected waves such as '1%,10%,50%,100%' or '1,5,20'");
        }
        List<Wave> out = new ArrayList<>();
        for (String part : text.split(",")) {
            out.add(Wave.parse(part.trim()));
        }
        return checkCumulative(List.copyOf(out));
    }

    /** At most 100 waves; among waves of one kind, each larger than the one before. */
    private static List<Wave> checkCumulative(List<Wave> waves) {
        if (waves.size() > 100) {
            throw new InvalidInputException("strategy.waves", "at most 100 waves, got " + waves.size());
        }
        for (int i = 1; i < waves.size(); i++) {
            for (int j = i - 1; j >= 0; j--) {
                if (waves.get(j).kind() == waves.get(i).kind()) {
                    if (waves.get(i).amount() <= waves.get(j).amount()) {
                        throw new InvalidInputException("strategy.waves[" + i + "]", "waves are cumulative: wave " + i
                                + " (" + waves.get(i) + ") must be larger than wave " + j + " (" + waves.get(j) + ")");
                    }
                    break;
                }
            }
        }
        return waves;
    }

    /**
     * One wave: a cumulative share of the matching devices, in percent, or a cumulative device count.
     * A percent wave is at least one device; every wave adds at least one device while devices remain.
     */
    public record Wave(Kind kind, double amount) {
        public enum Kind { PERCENT, COUNT }

        public Wave {
            if (kind == null) {
                throw new InvalidInputException("strategy.waves", "a wave needs a kind (PERCENT or COUNT)");
            }
            if (kind == Kind.PERCENT && !(amount > 0 && amount <= 100)) {
                throw new InvalidInputException("strategy.waves", "a percent wave must be in (0, 100], got " + amount);
            }
            if (kind == Kind.COUNT && !(amount >= 1 && amount == Math.rint(amount) && amount <= Integer.MAX_VALUE)) {
                throw new InvalidInputException("strategy.waves", "a count wave must be a whole number of devices ≥ 1, "
                        + "got " + amount);
            }
        }

        public static Wave percent(double percent) {
            return new Wave(Kind.PERCENT, percent);
        }

        public static Wave count(int devices) {
            return new Wave(Kind.COUNT, devices);
        }

        /** "10%" or "5". */
        public static Wave parse(String text) {
            try {
                if (text.endsWith("%")) {
                    return percent(Double.parseDouble(text.substring(0, text.length() - 1).trim()));
                }
                return count(Integer.parseInt(text));
            } catch (NumberFormatException e) {
                throw new InvalidInputException("strategy.waves", "wave '" + text + "' is neither a percentage like "
                        + "'10%' nor a device count like '5'");
            }
        }

        @Override
        public String toString() {
            if (kind == Kind.COUNT) {
                return (long) amount + (amount == 1 ? " device" : " devices");
            }
            return (amount == Math.rint(amount) ? Long.toString((long) amount)
                    : String.format(Locale.ROOT, "%s", amount)) + "%";
        }
    }

    /**
     * Health gates a wave must pass, judged over every device the rollout has updated, on telemetry since
     * the wave started.
     *
     * @param maxErrorRate          errors / requests at most (0.01 = 1%)
     * @param maxP95BudgetMultiple  end-to-end p95 at most the rollout's budget times this
     * @param minRequests           requests needed before a gate can pass (or fail on error rate or p95)
     * @param maxFailedDevices      devices reporting the version FAILED (download, install, load) at most
     */
    public record Gates(double maxErrorRate, double maxP95BudgetMultiple, long minRequests, int maxFailedDevices) {
        public Gates {
            if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) {
                throw new InvalidInputException("strategy.gates.maxErrorRate", "maxErrorRate must be a fraction in "
                        + "[0, 1] (0.01 = 1%), got " + maxErrorRate);
            }
            if (!(maxP95BudgetMultiple > 0) || Double.isInfinite(maxP95BudgetMultiple)) {
                throw new InvalidInputException("strategy.gates.maxP95BudgetMultiple", "maxP95BudgetMultiple must be "
                        + "positive, got " + maxP95BudgetMultiple);
            }
            if (minRequests < 0) {
                throw new InvalidInputException("strategy.gates.minRequests", "minRequests must not be negative, got "
                        + minRequests);
            }
            if (maxFailedDevices < 0) {
                throw new InvalidInputException("strategy.gates.maxFailedDevices", "maxFailedDevices must not be "
                        + "negative, got " + maxFailedDevices);
            }
        }

        /** At most 1% errors, p95 within the budget, 100 requests, no failed device. */
        public static Gates defaults() {
            return new Gates(0.01, 1.0, 100, 0);
        }
    }
}
