package dev.continuum.controller.placement;

import java.util.Locale;

/** Number formatting for reasons: one decimal for milliseconds, no needless ".0" for configured values. */
final class Fmt {
    private Fmt() {
    }

    static String one(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** 30 → "30", 30.5 → "30.5", 0.25 → "0.25". */
    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "");
    }

    static String gflop(long flops) {
        return String.format(Locale.ROOT, "%.3f", flops / 1e9);
    }

    static String rate(long bytesPerSecond) {
        return String.format(Locale.ROOT, "%.1f MB/s", bytesPerSecond / 1e6);
    }

    static String percent(double fraction) {
        return num(fraction * 100) + "%";
    }
}
