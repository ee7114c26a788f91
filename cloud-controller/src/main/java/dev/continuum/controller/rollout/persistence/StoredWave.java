package dev.continuum.controller.rollout.persistence;

import dev.continuum.controller.rollout.Rollout.WaveProgress;
import java.time.Instant;

/**
 * One wave's counters as the last reconciler step computed them, and when the wave started (null while it
 * has not, or when it was skipped because it would add no device).
 */
record StoredWave(int wave, String size, int cumulativeTarget, int targeted, int updated, int healthy, int failed,
                  int offline, Instant startedAt) {

    static StoredWave of(WaveProgress p, Instant startedAt) {
        return new StoredWave(p.wave(), p.size(), p.cumulativeTarget(), p.targeted(), p.updated(), p.healthy(),
                p.failed(), p.offline(), startedAt);
    }

    WaveProgress progress() {
        return new WaveProgress(wave, size, cumulativeTarget, targeted, updated, healthy, failed, offline);
    }
}
