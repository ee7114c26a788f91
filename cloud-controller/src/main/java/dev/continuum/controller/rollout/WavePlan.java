package dev.continuum.controller.rollout;

import dev.continuum.controller.rollout.Strategy.Wave;
import java.util.List;

/**
 * Wave sizes for a fleet of {@code n} devices. Cumulative: wave i covers the devices of waves 0..i. A percent
 * wave is {@code ceil(percent × n / 100)}, a count wave its count; every wave adds at least one device while
 * devices remain, no wave exceeds {@code n}, and the last wave covers all {@code n}.
 * E.g. 1%, 10%, 50%, 100% of 7 devices: 1, 2, 4, 7.
 */
final class WavePlan {
    private WavePlan() {
    }

    static int[] cumulativeTargets(List<Wave> waves, int n) {
        int[] out = new int[waves.size()];
        int previous = 0;
        for (int i = 0; i < out.length; i++) {
            Wave w = waves.get(i);
            long wanted = w.kind() == Wave.Kind.PERCENT
                    ? (long) Math.ceil(w.amount() * n / 100.0 - 1e-9)
                    : (long) w.amount();
            long target = Math.max(wanted, previous + 1L);
            out[i] = (int) Math.min(n, target);
            previous = out[i];
        }
        out[out.length - 1] = n;
        return out;
    }
}
