package dev.continuum.controller.rollout;

import dev.continuum.controller.rollout.Rollout.Member;
import dev.continuum.controller.rollout.Rollout.Progress;
import dev.continuum.controller.rollout.Rollout.WaveProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** One reconciler step of a RUNNING rollout; see {@link RolloutReconciler} for the rules. Used once. */
final class RunningStep {
    private final Rollout r;
    private final Instant now;
    private final HealthView health;
    private final Strategy strategy;
    private final String version;
    private final Map<String, FleetDevice> devices = new HashMap<>();
    private final Set<String> matching = new TreeSet<>();
    private final TreeMap<String, Member> members = new TreeMap<>();
    private final List<RolloutAction> actions = new ArrayList<>();
    private int wave;
    private Instant waveStartedAt;
    private Instant servingSince;
    private HealthStats stats;
    private List<String> statsOf;

    RunningStep(Rollout r, Instant now, FleetView fleet, HealthView health) {
        this.r = r;
        this.now = now;
        this.health = health;
        this.strategy = r.strategy();
        this.version = r.version();
        this.wave = r.progress().wave();
        this.waveStartedAt = r.progress().waveStartedAt();
        this.servingSince = r.progress().waveServingSince();
        for (FleetDevice d : fleet.matching(r.parsedSelector(), r.model())) {
            devices.put(d.id(), d);
            matching.add(d.id());
        }
        r.progress().members().forEach(m -> members.put(m.deviceId(), m));
        // planned but never told, and no longer matching (relabelled or deleted): forget them
        members.values().removeIf(m -> !m.assigned() && !matching.contains(m.deviceId()));
        List<String> elsewhere = members.keySet().stream().filter(id -> !devices.containsKey(id)).toList();
        if (!elsewhere.isEmpty()) {
            fleet.find(elsewhere, r.model()).forEach(d -> devices.put(d.id(), d));
        }
    }

    Reconciliation run() {
        if (members.isEmpty() && matching.isEmpty()) {
            return finish(RolloutState.FAILED, "no device matches selector '" + r.selector() + "'", false);
        }
        HealthGate.Result early = gate(false);
        if (early.verdict() == HealthGate.Verdict.FAIL) {
            return gateFailed(early);
        }
        planAndAssign();
        List<String> stuck = stuck();
        if (!stuck.isEmpty()) {
            return finish(RolloutState.FAILED, stuck.size() + " device(s) did not report " + version + " serving "
                    + "within the progress deadline of " + human(strategy.progressDeadline()) + ": "
                    + String.join(", ", stuck.stream().limit(10).toList()) + (stuck.size() > 10 ? ", ..." : ""), false);
        }
        String status;
        if (!complete()) {
            status = "waiting for devices to report " + version + " serving";
        } else {
            if (servingSince == null) {
                servingSince = now;
            }
            Instant bakedAt = servingSince.plus(strategy.bakeTime());
            HealthGate.Result gate = now.isBefore(bakedAt) ? null : gate(true);
            if (gate == null) {
                status = "baking until " + bakedAt;
            } else if (gate.verdict() == HealthGate.Verdict.FAIL) {
                return gateFailed(gate);
            } else if (!gate.passed()) {
                status = gate.reason();
            } else if (nextWave() < 0) {
                return finish(RolloutState.COMPLETED, "every wave passed its gates; last: " + gate.reason(), false);
            } else {
                String passed = waveName() + " passed (" + gate.reason() + ")";
                wave = nextWave();
                waveStartedAt = now;
                servingSince = null;
                planAndAssign();
                if (complete()) {
                    servingSince = now;
                }
                status = passed + "; started " + waveName();
            }
        }
        return new Reconciliation(r.withProgress(progress(RolloutState.RUNNING), summary() + "; " + status), actions);
    }

    /** The next wave that adds devices to those planned, or -1 when none does (the waves left are empty). */
    private int nextWave() {
        int[] targets = WavePlan.cumulativeTargets(strategy.waves(), fleetSize());
        long planned = members.keySet().stream().filter(devices::containsKey).count();
        for (int i = wave + 1; i < targets.length; i++) {
            if (targets[i] > planned) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The wave's gates over every touched device. Failed installs and the error rate are judged at once, so a
     * broken version stops during the bake; the p95 only when {@code baked}, so the first requests after an
     * install (caches and JIT still cold) do not decide the wave.
     */
    private HealthGate.Result gate(boolean baked) {
        List<String> touched = members.values().stream().filter(Member::assigned).map(Member::deviceId).toList();
        List<String> failed = touched.stream().filter(id -> devices.containsKey(id) && devices.get(id).failed(version))
                .toList();
        if (!touched.equals(statsOf)) { // the bake check reads the same telemetry unless a device was told since
            stats = touched.isEmpty() ? HealthStats.NONE
                    : health.health(r.model(), version, Set.copyOf(touched), waveStartedAt);
            statsOf = touched;
        }
        return HealthGate.evaluate(strategy.gates(), r.budgetMillis(), stats, failed, version, baked);
    }

    private Reconciliation gateFailed(HealthGate.Result gate) {
        return finish(RolloutState.ROLLED_BACK, "health gate failed in " + waveName() + ": " + gate.reason(), true);
    }

    /** Tops the current wave up to its share of today's fleet, then tells planned devices to update. */
    private void planAndAssign() {
        int[] targets = WavePlan.cumulativeTargets(strategy.waves(), fleetSize());
        long planned = members.keySet().stream().filter(devices::containsKey).count();
        for (String id : matching) {
            if (planned >= targets[wave]) {
                break;
            }
            if (!members.containsKey(id)) {
                members.put(id, Member.planned(id, wave));
                planned++;
            }
        }
        long inFlight = members.values().stream().filter(m -> m.assigned() && updating(devices.get(m.deviceId())))
                .count();
        for (Member m : inWaveOrder()) {
            FleetDevice d = devices.get(m.deviceId());
            if (d == null) {
                continue;
            }
            if (!m.assigned()) {
                if (version.equals(d.assignedVersion())) {
                    members.put(m.deviceId(), m.assign(version, now)); // had it already: nothing to do or revert
                    continue;
                }
                if (d.online()) {
                    if (inFlight >= strategy.maxInFlight()) {
                        continue;
                    }
                    inFlight++;
                }
                members.put(m.deviceId(), m.assign(d.assignedVersion(), now));
                actions.add(new RolloutAction.AssignVersion(r.id(), m.deviceId(), r.model(), version));
            } else if (!version.equals(d.assignedVersion())) {
                actions.add(new RolloutAction.AssignVersion(r.id(), m.deviceId(), r.model(), version));
            }
        }
        for (Member m : List.copyOf(members.values())) {
            boolean updating = m.assigned() && updating(devices.get(m.deviceId()));
            Instant since = updating ? (m.updatingSince() != null ? m.updatingSince() : now) : null;
            members.put(m.deviceId(), m.updatingSince(since));
        }
    }

    /** Online, not serving the version and not failed on it. */
    private boolean updating(FleetDevice d) {
        return d != null && d.online() && !d.serving(version) && !d.failed(version);
    }

    private List<String> stuck() {
        return members.values().stream().filter(m -> m.updatingSince() != null
                        && Duration.between(m.updatingSince(), now).compareTo(strategy.progressDeadline()) >= 0)
                .map(Member::deviceId).toList();
    }

    /** Every online planned device is told and reports the version serving or failed; offline ones do not count. */
    private boolean complete() {
        for (Member m : members.values()) {
            FleetDevice d = devices.get(m.deviceId());
            if (d == null || !d.online()) {
                continue;
            }
            if (!m.assigned() || !(d.serving(version) || d.failed(version))) {
                return false;
            }
        }
        return true;
    }

    private int fleetSize() {
        return (int) Stream.concat(matching.stream(), members.keySet().stream().filter(devices::containsKey))
                .distinct().count();
    }

    private List<Member> inWaveOrder() {
        return members.values().stream()
                .sorted(Comparator.comparingInt(Member::wave).thenComparing(Member::deviceId)).toList();
    }

    private Reconciliation finish(RolloutState to, String reason, boolean revert) {
        if (revert) {
            actions.addAll(RolloutReconciler.reverts(r, members.values(), devices));
        }
        actions.add(new RolloutAction.ChangeState(r.id(), r.state(), to, reason));
        Rollout next = r.withProgress(progress(to), reason).withState(to, reason, now);
        return new Reconciliation(next, actions);
    }

    private Progress progress(RolloutState state) {
        int[] targets = WavePlan.cumulativeTargets(strategy.waves(), fleetSize());
        Map<Integer, List<Member>> byWave = members.values().stream().collect(Collectors.groupingBy(Member::wave));
        List<WaveProgress> waves = new ArrayList<>();
        for (int i = 0; i < targets.length; i++) {
            List<Member> ms = byWave.getOrDefault(i, List.of());
            int updated = count(ms, d -> d.serving(version));
            int failed = count(ms, d -> d.failed(version));
            int offline = (int) ms.stream().filter(m -> !devices.containsKey(m.deviceId())
                    || !devices.get(m.deviceId()).online()).count();
            int healthy = i < wave || state == RolloutState.COMPLETED ? updated : 0;
            waves.add(new WaveProgress(i, strategy.waves().get(i).toString(), targets[i], ms.size(), updated, healthy,
                    failed, offline));
        }
        return new Progress(wave, waveStartedAt, servingSince, List.copyOf(members.values()), waves);
    }

    private int count(List<Member> ms, java.util.function.Predicate<FleetDevice> p) {
        return (int) ms.stream().map(m -> devices.get(m.deviceId())).filter(d -> d != null && p.test(d)).count();
    }

    private String summary() {
        int serving = count(List.copyOf(members.values()), d -> d.serving(version));
        long updating = members.values().stream().filter(m -> m.updatingSince() != null).count();
        long offline = members.values().stream().filter(m -> !devices.containsKey(m.deviceId())
                || !devices.get(m.deviceId()).online()).count();
        return waveName() + ": " + serving + " of " + members.size() + " device(s) serving " + version
                + (updating > 0 ? ", " + updating + " updating" : "")
                + (offline > 0 ? ", " + offline + " offline" : "");
    }

    private static String human(Duration d) {
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }

    private String waveName() {
        return "wave " + (wave + 1) + " of " + strategy.waves().size() + " (" + strategy.waves().get(wave) + ")";
    }
}
