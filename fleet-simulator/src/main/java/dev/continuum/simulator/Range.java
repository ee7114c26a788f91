package dev.continuum.simulator;

import java.util.Locale;
import java.util.random.RandomGenerator;

/** A closed range of numbers, {@code 1..20} or a single value {@code 5}; devices draw from it uniformly. */
public record Range(double min, double max) {
    public Range {
        if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
            throw new IllegalArgumentException("expected min <= max, got " + min + ".." + max);
        }
    }

    public static Range of(double value) {
        return new Range(value, value);
    }

    /**
     * Parses {@code a..b} or {@code a}.
     *
     * @throws IllegalArgumentException naming {@code option} and the text
     */
    public static Range parse(String option, String text) {
        String t = text.trim();
        int dots = t.indexOf("..");
        try {
            Range r = dots < 0 ? of(Double.parseDouble(t))
                    : new Range(Double.parseDouble(t.substring(0, dots).trim()), Double.parseDouble(t.substring(dots + 2).trim()));
            return r;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": expected a number or a range such as 1..20, got '" + text + "'");
        }
    }

    /** The value of device {@code index} of {@code count}: spread evenly over the range, in index order. */
    public double spread(int index, int count) {
        return count <= 1 ? min : min + (max - min) * index / (count - 1);
    }

    public double draw(RandomGenerator random) {
        return min == max ? min : min + (max - min) * random.nextDouble();
    }

    @Override
    public String toString() {
        return min == max ? fmt(min) : fmt(min) + ".." + fmt(max);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.format(Locale.ROOT, "%.3g", d);
    }
}
