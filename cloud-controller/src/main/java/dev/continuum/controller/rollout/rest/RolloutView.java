package dev.continuum.controller.rollout.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.continuum.controller.placement.service.PlacementViews;
import dev.continuum.controller.rollout.Rollout;
import dev.continuum.controller.rollout.Rollout.Member;
import dev.continuum.controller.rollout.Rollout.WaveProgress;
import dev.continuum.controller.rollout.RolloutState;
import dev.continuum.controller.rollout.Strategy;
import dev.continuum.controller.rollout.persistence.StoredRollout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A rollout as the API shows it. {@code devices} (every device planned into a wave, touched or not) is only
 * in the answer about one rollout, not in lists.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolloutView(String id, String model, String version, String alias, String selector, double budgetMillis,
                          String preference, StrategyView strategy, String state, String stateReason,
                          Instant stateChangedAt, String message, String createdBy, Instant createdAt,
                          Instant updatedAt, int currentWave, int touchedDevices, List<WaveView> waves,
                          List<DeviceView> devices) {

    public record StrategyView(List<String> waves, double bakeSeconds, GatesView gates, int maxInFlight,
                               double progressDeadlineSeconds) {
    }

    public record GatesView(double maxErrorRate, double maxP95BudgetMultiple, long minRequests, int maxFailedDevices) {
    }

    /**
     * One wave. {@code size} as configured ("10%", "5 devices"); {@code target} the devices the waves up to this
     * one cover with today's fleet; counters of the devices planned into this wave.
     *
     * @param state  PENDING, ACTIVE (devices updating), BAKING (all serving; bake time or gate pending), PASSED,
     *               SKIPPED (would add no device, or never reached by a completed rollout), and for the wave a
     *               rollout ended in: FAILED or ABORTED; ROLLED_BACK for every started wave of a rolled-back rollout;
     *               CANCELLED for waves a stopped rollout never reached
     */
    public record WaveView(int index, String size, int target, String state, int targeted, int updated, int healthy,
                           int failed, int offline, Instant startedAt) {
    }

    /** A device planned into a wave; {@code touched}: the rollout told it to update. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record DeviceView(String device, int wave, boolean touched, String previousVersion, Instant assignedAt,
                             Instant updatingSince) {
    }

    static RolloutView of(StoredRollout s, boolean withDevices) {
        Rollout r = s.rollout();
        Strategy st = r.strategy();
        StrategyView strategy = new StrategyView(st.waves().stream().map(Strategy.Wave::toString).toList(),
                st.bakeTime().toMillis() / 1000.0, new GatesView(st.gates().maxErrorRate(),
                st.gates().maxP95BudgetMultiple(), st.gates().minRequests(), st.gates().maxFailedDevices()),
                st.maxInFlight(), st.progressDeadline().toMillis() / 1000.0);
        List<DeviceView> devices = withDevices ? r.progress().members().stream().map(RolloutView::device).toList()
                : null;
        return new RolloutView(r.id(), r.model(), r.version(), r.alias(), r.selector(), r.budgetMillis(),
                PlacementViews.wire(r.preference().name()), strategy, r.state().name(), r.stateReason(),
                r.stateChangedAt(), r.message(), r.createdBy(), r.createdAt(), s.updatedAt(), r.progress().wave(),
                (int) r.progress().members().stream().filter(Member::assigned).count(), waves(s), devices);
    }

    private static DeviceView device(Member m) {
        return new DeviceView(m.deviceId(), m.wave(), m.assigned(), m.previousVersion(), m.assignedAt(),
                m.updatingSince());
    }

    private static List<WaveView> waves(StoredRollout s) {
        Rollout r = s.rollout();
        List<WaveView> out = new ArrayList<>();
        List<Strategy.Wave> configured = r.strategy().waves();
        for (int i = 0; i < configured.size(); i++) {
            WaveProgress p = i < r.progress().waves().size() ? r.progress().waves().get(i) : null;
            Instant started = i < s.waveStarts().size() ? s.waveStarts().get(i) : null;
            out.add(new WaveView(i, configured.get(i).toString(), p == null ? 0 : p.cumulativeTarget(),
                    state(r, i, started != null), p == null ? 0 : p.targeted(), p == null ? 0 : p.updated(),
                    p == null ? 0 : p.healthy(), p == null ? 0 : p.failed(), p == null ? 0 : p.offline(), started));
        }
        return out;
    }

    static String state(Rollout r, int i, boolean started) {
        int current = r.progress().wave();
        RolloutState s = r.state();
        if (s == RolloutState.ROLLED_BACK) {
            return i <= current && started ? "ROLLED_BACK" : i <= current ? "SKIPPED" : "CANCELLED";
        }
        if (i < current) {
            return started ? "PASSED" : "SKIPPED";
        }
        if (i > current) {
            return s.active() ? "PENDING" : s == RolloutState.COMPLETED ? "SKIPPED" : "CANCELLED";
        }
        return switch (s) {
            case RUNNING, PAUSED -> r.progress().waveServingSince() != null ? "BAKING" : "ACTIVE";
            case COMPLETED -> "PASSED";
            case FAILED -> "FAILED";
            case ABORTED -> "ABORTED";
            default -> throw new IllegalStateException("unexpected rollout state " + s);
        };
    }
}
