package dev.continuum.controller.rollout;

import dev.continuum.controller.fleet.Selector;
import dev.continuum.controller.fleet.Selector.Requirement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether two selectors could ever match the same device. They overlap unless the requirements of both,
 * taken together, are contradictory for some label key: e.g. {@code region=eu} and {@code region=us},
 * {@code tier in (a,b)} and {@code tier in (c)}, {@code gpu} and {@code !gpu}, {@code zone=a} and
 * {@code zone!=a}. Requirements on different keys never contradict each other (a device can carry any
 * combination of labels), so this is decided over every possible label set, not the devices enrolled today:
 * two selectors that no current device matches both still overlap when a future device could.
 */
public final class SelectorOverlap {
    private SelectorOverlap() {
    }

    public static boolean mayOverlap(Selector a, Selector b) {
        return disjointOn(a, b).isEmpty();
    }

    /** The label key on which the two selectors contradict each other, or empty when they may overlap. */
    public static Optional<String> disjointOn(Selector a, Selector b) {
        Map<String, KeyConstraint> byKey = new HashMap<>();
        for (Selector s : new Selector[] {a, b}) {
            for (Requirement r : s.requirements()) {
                byKey.computeIfAbsent(r.key(), k -> new KeyConstraint()).add(r);
            }
        }
        return byKey.entrySet().stream().filter(e -> !e.getValue().satisfiable()).map(Map.Entry::getKey).sorted()
                .findFirst();
    }

    /** What one key's requirements allow: absent or not, and which values (a finite set, or all but some). */
    private static final class KeyConstraint {
        private boolean absentAllowed = true;
        private boolean presentAllowed = true;
        private Set<String> only;
        private final Set<String> excluded = new HashSet<>();

        void add(Requirement r) {
            switch (r.op()) {
                case EXISTS -> absentAllowed = false;
                case NOT_EXISTS -> presentAllowed = false;
                case EQUALS, IN -> {
                    absentAllowed = false;
                    if (only == null) {
                        only = new HashSet<>(r.values());
                    } else {
                        only.retainAll(r.values());
                    }
                }
                case NOT_EQUALS, NOT_IN -> excluded.addAll(r.values());
                default -> throw new IllegalStateException("unknown selector operator " + r.op());
            }
        }

        boolean satisfiable() {
            if (absentAllowed) {
                return true;
            }
            if (!presentAllowed) {
                return false;
            }
            if (only == null) {
                return true; // infinitely many values, finitely many excluded
            }
            Set<String> left = new HashSet<>(only);
            left.removeAll(excluded);
            return !left.isEmpty();
        }
    }
}
