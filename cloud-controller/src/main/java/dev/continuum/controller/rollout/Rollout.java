package dev.continuum.controller.rollout;

import dev.continuum.controller.fleet.Selector;
import dev.continuum.controller.placement.PlacementPreference;
import java.time.Instant;
import java.util.List;

/**
 * A rollout of one model version to the devices a selector matches: what it is (fixed at creation) and
 * where it stands (changed by operator commands and by {@link RolloutReconciler} steps). An immutable
 * value: every change returns a new one for the caller to store.
 *
 * @param id              the rollout's id
 * @param model           the model
 * @param version         the version rolled out (an alias is resolved at creation)
 * @param alias           the alias {@code version} was resolved from, or null when named directly
 * @param selector        the device selector, as written (see {@link Selector})
 * @param budgetMillis    the latency budget placement and the p95 gate use
 * @param preference      the placement preference for the devices it updates
 * @param strategy        waves, bake time, gates, in-flight limit
 * @param createdBy       who created it
 * @param createdAt       when
 * @param state           where it stands
 * @param stateReason     why it is in {@code state}, e.g. "health gate failed in wave 2: error rate 5.0% ..."
 * @param stateChangedAt  when it entered {@code state}
 * @param message         what the last reconciler step saw or is waiting for
 * @param progress        the current wave, the devices it planned and touched, counters per wave
 */
public record Rollout(String id, String model, String version, String alias, String selector, double budgetMillis,
                      PlacementPreference preference, Strategy strategy, String createdBy, Instant createdAt,
                      RolloutState state, String stateReason, Instant stateChangedAt, String message,
                      Progress progress) {

    /**
     * @param wave              index of the current wave (0-based)
     * @param waveStartedAt     when the current wave started; health gates read telemetry since then
     * @param waveServingSince  when every online device of the waves so far first reported the version serving
     *                          (the bake time counts from then); null before
     * @param members           every device planned into a wave, in device-id order
     * @param waves             counters per wave, recomputed by every step
     */
    public record Progress(int wave, Instant waveStartedAt, Instant waveServingSince, List<Member> members,
                           List<WaveProgress> waves) {
        public Progress {
            members = List.copyOf(members);
            waves = List.copyOf(waves);
        }

        public static Progress start(Instant now) {
            return new Progress(0, now, null, List.of(), List.of());
        }
    }

    /**
     * A device the rollout planned into a wave.
     *
     * @param deviceId         the device
     * @param wave             the wave it belongs to
     * @param assigned         whether the rollout has told it to run the version (it is then "touched")
     * @param previousVersion  the version the device had assigned before the rollout told it to update, null when
     *                         it had none (a revert then removes the model); meaningless until {@code assigned}
     * @param assignedAt       when the rollout told it, or null
     * @param updatingSince    since when it is online, told and not yet serving nor failed; null otherwise
     */
    public record Member(String deviceId, int wave, boolean assigned, String previousVersion, Instant assignedAt,
                         Instant updatingSince) {
        static Member planned(String deviceId, int wave) {
            return new Member(deviceId, wave, false, null, null, null);
        }

        Member assign(String previous, Instant now) {
            return new Member(deviceId, wave, true, previous, now, null);
        }

        Member updatingSince(Instant since) {
            return new Member(deviceId, wave, assigned, previousVersion, assignedAt, since);
        }
    }

    /**
     * Counters of one wave.
     *
     * @param wave              index (0-based)
     * @param size              the wave as configured, e.g. "10%" or "5 devices"
     * @param cumulativeTarget  devices the waves up to this one cover with today's fleet
     * @param targeted          devices planned into this wave
     * @param updated           of them, reporting the version serving
     * @param healthy           of the updated, confirmed by the wave's passed gate (0 until it passes)
     * @param failed            of them, reporting the version FAILED
     * @param offline           of them, offline or gone from the fleet
     */
    public record WaveProgress(int wave, String size, int cumulativeTarget, int targeted, int updated, int healthy,
                               int failed, int offline) {
    }

    public Selector parsedSelector() {
        return Selector.parse(selector);
    }

    /** The devices the rollout told to run its version. */
    public List<Member> touched() {
        return progress.members().stream().filter(Member::assigned).toList();
    }

    public boolean lastWave() {
        return progress.wave() >= strategy.waves().size() - 1;
    }

    Rollout withState(RolloutState to, String reason, Instant now) {
        return new Rollout(id, model, version, alias, selector, budgetMillis, preference, strategy, createdBy,
                createdAt, to, reason, now, reason, progress);
    }

    Rollout withProgress(Progress p, String newMessage) {
        return new Rollout(id, model, version, alias, selector, budgetMillis, preference, strategy, createdBy,
                createdAt, state, stateReason, stateChangedAt, newMessage, p);
    }
}
