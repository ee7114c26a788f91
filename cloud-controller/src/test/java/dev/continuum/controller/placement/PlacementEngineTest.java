package dev.continuum.controller.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuum.controller.placement.PlacementInputs.CloudSignals;
import dev.continuum.controller.placement.PlacementInputs.DeviceSignals;
import dev.continuum.controller.placement.PlacementInputs.ModelCost;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PlacementEngineTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    /** Signals held in fields a test changes. */
    static final class FakeSignals implements PlacementSignals {
        Long edgeP95Micros;
        DeviceSignals device = new DeviceSignals(50.0, 12_000L, Inputs.UPLINK);

        @Override
        public ModelCost modelCost(String model, String version) {
            return Inputs.ONE_GFLOP;
        }

        @Override
        public DeviceSignals device(String deviceId) {
            return device;
        }

        @Override
        public OptionalLong edgeP95Micros(String deviceId, String model, String version) {
            return edgeP95Micros == null ? OptionalLong.empty() : OptionalLong.of(edgeP95Micros);
        }

        @Override
        public CloudSignals cloud(String model, String version) {
            return Inputs.CLOUD;
        }
    }

    /** An in-memory ledger keyed by "device/model". */
    static final class MemoryLedger implements PlacementLedger {
        final Map<String, Site> pins = new HashMap<>();
        final Map<String, PlacementState> states = new HashMap<>();
        final List<PlacementDecision> decisions = new ArrayList<>();

        @Override
        public Optional<Site> pin(String deviceId, String model) {
            return Optional.ofNullable(pins.get(deviceId + "/" + model));
        }

        @Override
        public Optional<PlacementState> state(String deviceId, String model) {
            return Optional.ofNullable(states.get(deviceId + "/" + model));
        }

        @Override
        public void record(String deviceId, String model, String version, PlacementDecision decision,
                           PlacementState next) {
            decisions.add(decision);
            states.put(deviceId + "/" + model, next);
        }
    }

    private final FakeSignals signals = new FakeSignals();
    private final MemoryLedger ledger = new MemoryLedger();
    private final PlacementEngine engine = new PlacementEngine(new Placer(PlacementConfig.defaults()), signals, ledger);

    @Test
    void theEngineReadsThePortsRecordsEachDecisionAndCarriesHysteresisAcrossCalls() {
        PlacementDecision first = engine.place("d1", "det", "1.0", 30, PlacementPreference.EDGE_FIRST, T0);
        assertThat(first.site()).isEqualTo(Site.CLOUD);
        assertThat(first.edge().basis()).as("40 ms estimated before install").isEqualTo(EdgeEstimate.Basis.ESTIMATED);

        signals.edgeP95Micros = 26_000L; // measured after install: within budget, though not by the 20% margin
        PlacementDecision second = engine.place("d1", "det", "1.0", 30, PlacementPreference.EDGE_FIRST, T0.plusSeconds(30));
        assertThat(second.site()).as("a measurement replaces the estimate at once").isEqualTo(Site.EDGE);
        assertThat(second.previousSite()).isEqualTo(Site.CLOUD);
        assertThat(ledger.states.get("d1/det")).isEqualTo(PlacementState.settled(Site.EDGE, false));

        signals.edgeP95Micros = 33_000L; // noise over the budget, inside the margin
        PlacementDecision third = engine.place("d1", "det", "1.0", 30, PlacementPreference.EDGE_FIRST, T0.plusSeconds(60));
        assertThat(third.ruleSite()).isEqualTo(Site.CLOUD);
        assertThat(third.site()).as("hysteresis carried across calls").isEqualTo(Site.EDGE);
        assertThat(ledger.decisions).containsExactly(first, second, third);
        assertThat(ledger.states.get("d1/det")).isEqualTo(PlacementState.settled(Site.EDGE, false));
    }

    @Test
    void theEnginePassesTheOperatorsPinThrough() {
        ledger.pins.put("d1/det", Site.EDGE);
        PlacementDecision d = engine.place("d1", "det", "1.0", 30, PlacementPreference.EDGE_FIRST, T0);
        assertThat(d.site()).isEqualTo(Site.EDGE);
        assertThat(d.outcome()).isEqualTo(Outcome.PINNED);
        assertThat(d.reason()).startsWith("pinned by operator");
    }
}
