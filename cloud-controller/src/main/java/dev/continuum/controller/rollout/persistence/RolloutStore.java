package dev.continuum.controller.rollout.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.continuum.controller.common.InvalidInputException;
import dev.continuum.controller.common.Json;
import dev.continuum.controller.common.Page;
import dev.continuum.controller.common.PageRequest;
import dev.continuum.controller.common.Times;
import dev.continuum.controller.fleet.Selector;
import dev.continuum.controller.placement.PlacementPreference;
import dev.continuum.controller.rollout.Rollout;
import dev.continuum.controller.rollout.Rollout.Member;
import dev.continuum.controller.rollout.Rollout.Progress;
import dev.continuum.controller.rollout.RolloutState;
import dev.continuum.controller.rollout.SelectorOverlap;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.hibernate.Session;

/** Rollouts in the database: the core {@link Rollout} value to and from its rows. Joins the caller's transaction. */
@ApplicationScoped
public class RolloutStore {
    private static final TypeReference<List<StoredWave>> WAVES = new TypeReference<>() { };
    private static final TypeReference<TreeMap<String, String>> CONFIG = new TypeReference<>() { };

    @Inject
    Session db;

    /** The rollout with its members, its row locked for the rest of the transaction. */
    @Transactional
    public Optional<StoredRollout> lock(String id) {
        RolloutEntity e = db.find(RolloutEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
        return Optional.ofNullable(e).map(r -> read(r, members(id)));
    }

    /** The rollout with its members. */
    @Transactional
    public Optional<StoredRollout> get(String id) {
        RolloutEntity e = db.find(RolloutEntity.class, id);
        return Optional.ofNullable(e).map(r -> read(r, members(id)));
    }

    @Transactional
    public void insert(Rollout r) {
        RolloutEntity e = new RolloutEntity();
        e.id = r.id();
        e.model = r.model();
        e.version = r.version();
        e.alias = r.alias();
        e.selector = r.selector();
        e.budgetMillis = r.budgetMillis();
        e.preference = r.preference().name();
        e.strategyJson = Json.write(StoredStrategy.of(r.strategy()));
        e.createdBy = r.createdBy();
        e.createdAt = r.createdAt();
        List<Instant> starts = new ArrayList<>();
        starts.add(r.progress().waveStartedAt());
        fill(e, r, starts, false);
        db.persist(e);
    }

    /**
     * Stores where the rollout stands, its members, and the previous assignments captured for devices it
     * told for the first time (members already holding a capture keep it).
     */
    @Transactional
    public void save(Rollout r, List<Instant> waveStarts, Map<String, PreviousAssignment> captured, boolean settled) {
        RolloutEntity e = db.find(RolloutEntity.class, r.id());
        if (e == null) {
            throw new IllegalStateException("rollout '" + r.id() + "' vanished while it was being saved");
        }
        fill(e, r, waveStarts, settled);
        Map<String, RolloutMemberEntity> rows = new HashMap<>();
        members(r.id()).forEach(m -> rows.put(m.deviceId, m));
        for (Member m : r.progress().members()) {
            RolloutMemberEntity row = rows.remove(m.deviceId());
            boolean fresh = row == null;
            if (fresh) {
                row = new RolloutMemberEntity();
                row.rolloutId = r.id();
                row.deviceId = m.deviceId();
            }
            row.wave = m.wave();
            row.assigned = m.assigned();
            row.assignedAt = m.assignedAt();
            row.updatingSince = m.updatingSince();
            row.previousVersion = m.previousVersion();
            PreviousAssignment p = captured.get(m.deviceId());
            if (p != null && !row.previousCaptured) {
                capture(row, p);
            }
            if (fresh) {
                db.persist(row);
            }
        }
        rows.values().forEach(db::remove);
    }

    /** RUNNING and PAUSED rollouts of the model, without members (enough for the conflict check). */
    @Transactional
    public List<Rollout> active(String model) {
        return db.createSelectionQuery("from RolloutEntity where model = :m and state in (:s) order by createdAt",
                        RolloutEntity.class).setParameter("m", model)
                .setParameter("s", List.of(RolloutState.RUNNING.name(), RolloutState.PAUSED.name()))
                .getResultList().stream().map(e -> read(e, List.of()).rollout()).toList();
    }

    /** Ids of the rollouts the reconciler steps: RUNNING, and ROLLED_BACK until settled; oldest first. */
    @Transactional
    public List<String> reconcilable() {
        return db.createSelectionQuery("select id from RolloutEntity where state = :running or (state = :back "
                        + "and settledAt is null) order by createdAt, id", String.class)
                .setParameter("running", RolloutState.RUNNING.name())
                .setParameter("back", RolloutState.ROLLED_BACK.name()).getResultList();
    }

    /**
     * Ids of the COMPLETED rollouts that still answer for their selector: those no later rollout of the same
     * model supersedes (a later one RUNNING, PAUSED or COMPLETED whose selector may overlap; one that was rolled
     * back, aborted or failed leaves the earlier promise standing). Oldest first.
     */
    @Transactional
    public List<String> completedCurrent() {
        List<Object[]> rows = db.createSelectionQuery("select id, model, selector, state from RolloutEntity "
                        + "where state in (:s) order by createdAt, id", Object[].class)
                .setParameter("s", List.of(RolloutState.RUNNING.name(), RolloutState.PAUSED.name(),
                        RolloutState.COMPLETED.name())).getResultList();
        Map<String, List<Object[]>> byModel = new HashMap<>();
        rows.forEach(r -> byModel.computeIfAbsent((String) r[1], m -> new ArrayList<>()).add(r));
        Set<String> current = new HashSet<>();
        for (List<Object[]> ofModel : byModel.values()) {
            List<Selector> selectors = ofModel.stream().map(r -> Selector.parse((String) r[2])).toList();
            for (int i = 0; i < ofModel.size(); i++) {
                if (!RolloutState.COMPLETED.name().equals(ofModel.get(i)[3])) {
                    continue;
                }
                boolean superseded = false;
                for (int j = i + 1; j < ofModel.size() && !superseded; j++) {
                    superseded = SelectorOverlap.mayOverlap(selectors.get(i), selectors.get(j));
                }
                if (!superseded) {
                    current.add((String) ofModel.get(i)[0]);
                }
            }
        }
        return rows.stream().map(r -> (String) r[0]).filter(current::contains).toList();
    }

    /** Newest first, optionally of one model and in one state; members are left out. */
    @Transactional
    public Page<StoredRollout> list(String model, RolloutState state, PageRequest page) {
        StringBuilder q = new StringBuilder("from RolloutEntity where 1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (model != null) {
            q.append(" and model = :model");
            params.put("model", model);
        }
        if (state != null) {
            q.append(" and state = :state");
            params.put("state", state.name());
        }
        if (page.after() != null) {
            Cursor c = Cursor.parse(page.after());
            q.append(" and (createdAt < :t or (createdAt = :t and id < :id))");
            params.put("t", c.createdAt());
            params.put("id", c.id());
        }
        var query = db.createSelectionQuery(q.append(" order by createdAt desc, id desc").toString(),
                RolloutEntity.class);
        params.forEach(query::setParameter);
        List<RolloutEntity> rows = query.setMaxResults(page.limit() + 1).getResultList();
        return Page.of(rows, page, e -> new Cursor(e.createdAt, e.id).text(), e -> read(e, List.of()));
    }

    /**
     * Why the version may not be deleted: an active rollout rolls it out, or needs it to put a device it
     * touched back; empty otherwise.
     */
    @Transactional
    public Optional<String> usedBy(String model, String version) {
        List<String> active = List.of(RolloutState.RUNNING.name(), RolloutState.PAUSED.name());
        List<RolloutEntity> rolling = db.createSelectionQuery("from RolloutEntity where model = :m and version = :v "
                        + "and state in (:s) order by createdAt", RolloutEntity.class)
                .setParameter("m", model).setParameter("v", version).setParameter("s", active).setMaxResults(1)
                .getResultList();
        if (!rolling.isEmpty()) {
            RolloutEntity r = rolling.get(0);
            return Optional.of("rollout " + r.id + " is rolling it out (" + r.state + ")");
        }
        List<String> needing = db.createSelectionQuery("select r.id from RolloutEntity r, RolloutMemberEntity m "
                        + "where m.rolloutId = r.id and r.model = :m and m.previousVersion = :v and m.assigned "
                        + "and r.state in (:s) order by r.createdAt", String.class)
                .setParameter("m", model).setParameter("v", version).setParameter("s", active).setMaxResults(1)
                .getResultList();
        return needing.stream().findFirst()
                .map(id -> "rollout " + id + " would put devices back on it if rolled back");
    }

    private List<RolloutMemberEntity> members(String id) {
        return db.createSelectionQuery("from RolloutMemberEntity where rolloutId = :id order by deviceId",
                RolloutMemberEntity.class).setParameter("id", id).getResultList();
    }

    private static void fill(RolloutEntity e, Rollout r, List<Instant> waveStarts, boolean settled) {
        e.state = r.state().name();
        e.stateReason = r.stateReason();
        e.stateChangedAt = r.stateChangedAt();
        e.message = r.message();
        Progress p = r.progress();
        e.wave = p.wave();
        e.waveStartedAt = p.waveStartedAt();
        e.waveServingSince = p.waveServingSince();
        List<StoredWave> waves = new ArrayList<>();
        for (var w : p.waves()) {
            waves.add(StoredWave.of(w, w.wave() < waveStarts.size() ? waveStarts.get(w.wave()) : null));
        }
        if (waves.isEmpty()) { // before the first step: only the start of wave 0 is known
            for (int i = 0; i < waveStarts.size(); i++) {
                waves.add(new StoredWave(i, null, 0, 0, 0, 0, 0, 0, waveStarts.get(i)));
            }
        }
        e.wavesJson = Json.write(waves);
        e.settledAt = settled ? (e.settledAt != null ? e.settledAt : Times.now()) : null;
        e.updatedAt = Times.now();
    }

    private static void capture(RolloutMemberEntity row, PreviousAssignment p) {
        row.previousCaptured = true;
        row.previousSha256 = p.sha256();
        row.previousSizeBytes = p.sizeBytes();
        row.previousPlacement = p.placement();
        row.previousConfigJson = Json.write(new TreeMap<>(p.config()));
        row.previousBudgetMillis = p.budgetMillis();
        row.previousPreference = p.preference() == null ? null : p.preference().name();
    }

    private static StoredRollout read(RolloutEntity e, List<RolloutMemberEntity> rows) {
        List<StoredWave> stored = Json.read(e.wavesJson, WAVES);
        List<Instant> starts = new ArrayList<>();
        List<Rollout.WaveProgress> waves = new ArrayList<>();
        for (StoredWave w : stored) {
            starts.add(w.startedAt());
            if (w.size() != null) {
                waves.add(w.progress());
            }
        }
        List<Member> members = new ArrayList<>();
        Map<String, PreviousAssignment> previous = new HashMap<>();
        for (RolloutMemberEntity m : rows) {
            members.add(new Member(m.deviceId, m.wave, m.assigned, m.previousVersion, m.assignedAt, m.updatingSince));
            if (m.previousCaptured) {
                previous.put(m.deviceId, new PreviousAssignment(m.previousVersion, m.previousSha256,
                        m.previousSizeBytes, m.previousPlacement,
                        m.previousConfigJson == null ? Map.of() : Json.read(m.previousConfigJson, CONFIG),
                        m.previousBudgetMillis,
                        m.previousPreference == null ? null : PlacementPreference.valueOf(m.previousPreference)));
            }
        }
        Progress progress = new Progress(e.wave, e.waveStartedAt, e.waveServingSince, members, waves);
        Rollout r = new Rollout(e.id, e.model, e.version, e.alias, e.selector, e.budgetMillis,
                PlacementPreference.valueOf(e.preference), Json.read(e.strategyJson,
                new TypeReference<StoredStrategy>() { }).strategy(), e.createdBy, e.createdAt,
                RolloutState.valueOf(e.state), e.stateReason, e.stateChangedAt, e.message, progress);
        return new StoredRollout(r, starts, previous, e.updatedAt, e.settledAt != null);
    }

    /** The list's keyset cursor: creation time and id of the last rollout served. */
    private record Cursor(Instant createdAt, String id) {
        String text() {
            return createdAt.getEpochSecond() + "." + createdAt.getNano() + "/" + id;
        }

        static Cursor parse(String text) {
            try {
                int slash = text.indexOf('/');
                String[] t = text.substring(0, slash).split("\\.");
                return new Cursor(Instant.ofEpochSecond(Long.parseLong(t[0]), Long.parseLong(t[1])),
                        text.substring(slash + 1));
            } catch (RuntimeException e) {
                throw new InvalidInputException("cursor", "cursor is not one this API issued for rollouts; pass the "
                        + "nextCursor of the previous page unchanged");
            }
        }
    }
}
