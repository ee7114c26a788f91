package dev.continuum.controller.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuum.controller.placement.PlacementInputs.CloudSignals;
import dev.continuum.controller.placement.PlacementInputs.DeviceSignals;
import dev.continuum.controller.placement.PlacementInputs.ModelCost;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlacementRuleTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private final Placer placer = new Placer(PlacementConfig.defaults());

    private PlacementDecision decide(PlacementInputs in, PlacementPreference preference) {
        return placer.evaluate(in, preference, null, null, T0).decision();
    }

    /** Edge estimate = 2000 / GFLOP/s ms (1 GFLOP at efficiency 0.5); cloud = rtt + 6.5 ms. */
    @ParameterizedTest(name = "{0} GFLOP/s, rtt {1} ms, budget {2} ms -> {3} {4}")
    @CsvSource(delimiter = '|', textBlock = """
            100 |  12 | 30 | EDGE  | MEETS_BUDGET    | edge p95 20.0 ms meets budget 30 ms
            200 | 100 | 10 | EDGE  | MEETS_BUDGET    | edge p95 10.0 ms meets budget 10 ms
             50 |  12 | 50 | EDGE  | MEETS_BUDGET    | edge p95 40.0 ms meets budget 50 ms
             50 |  12 | 30 | CLOUD | MEETS_BUDGET    | edge p95 40.0 ms > budget 30 ms; cloud p95 18.5 ms (rtt 12.0 + transfer 1.1 + compute 4.9 + queue 0.5) meets it
            100 |   1 | 15 | CLOUD | MEETS_BUDGET    | edge p95 20.0 ms > budget 15 ms; cloud p95 7.5 ms (rtt 1.0 + transfer 1.1 + compute 4.9 + queue 0.5) meets it
             50 |  80 | 30 | EDGE  | VIOLATES_BUDGET | edge p95 40.0 ms > budget 30 ms; cloud p95 86.5 ms (rtt 80.0 + transfer 1.1 + compute 4.9 + queue 0.5) > budget too; edge is faster: placed there, violating the budget
             10 |  80 | 30 | CLOUD | VIOLATES_BUDGET | edge p95 200.0 ms > budget 30 ms; cloud p95 86.5 ms (rtt 80.0 + transfer 1.1 + compute 4.9 + queue 0.5) > budget too; cloud is faster: placed there, violating the budget
            """)
    void decidesByDeviceSpeedRoundTripAndBudget(double gflops, double rttMillis, double budgetMillis, Site site,
                                                Outcome outcome, String reason) {
        PlacementDecision d = decide(Inputs.estimated(gflops, rttMillis, budgetMillis), PlacementPreference.EDGE_FIRST);
        assertThat(d.site()).isEqualTo(site);
        assertThat(d.ruleSite()).isEqualTo(site);
        assertThat(d.outcome()).isEqualTo(outcome);
        assertThat(d.reason()).contains(reason);
        assertThat(d.edge().basis()).isEqualTo(EdgeEstimate.Basis.ESTIMATED);
        assertThat(d.previousSite()).isNull();
    }

    @Test
    void everyNumberTheDecisionUsedIsKeptWithIt() {
        PlacementDecision d = decide(Inputs.estimated(50, 12, 30), PlacementPreference.EDGE_FIRST);
        assertThat(d.inputs().budgetMillis()).isEqualTo(30);
        assertThat(d.inputs().device().engineGflops()).isEqualTo(50.0);
        assertThat(d.edge().p95Millis()).isEqualTo(40.0);
        assertThat(d.edge().efficiency()).isEqualTo(0.5);
        assertThat(d.cloud().rttMillis()).isEqualTo(12.0);
        assertThat(d.cloud().transferMillis()).isEqualTo(1.1, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(d.cloud().computeMillis()).isEqualTo(4.9);
        assertThat(d.cloud().queueMillis()).isEqualTo(0.5);
        assertThat(d.cloud().p95Millis()).isEqualTo(18.5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(d.decidedAt()).isEqualTo(T0);
        assertThat(d.preference()).isEqualTo(PlacementPreference.EDGE_FIRST);
    }

    @Test
    void anEstimatedEdgeSaysHowItWasEstimatedAndAMeasurementReplacesTheEstimate() {
        PlacementDecision estimated = decide(Inputs.estimated(50, 12, 50), PlacementPreference.EDGE_FIRST);
        assertThat(estimated.reason()).contains("edge p95 not measured yet: estimated from 1.000 GFLOP at 50.0 GFLOP/s "
                + "× efficiency 0.5");

        PlacementDecision measured = decide(Inputs.measured(41.2, 30), PlacementPreference.EDGE_FIRST);
        assertThat(measured.edge().basis()).isEqualTo(EdgeEstimate.Basis.MEASURED);
        assertThat(measured.edge().efficiency()).isNull();
        assertThat(measured.reason()).isEqualTo("edge p95 41.2 ms > budget 30 ms; cloud p95 18.5 ms (rtt 12.0 + "
                + "transfer 1.1 + compute 4.9 + queue 0.5) meets it");
        assertThat(measured.assumptions()).isEmpty();
    }

    @Test
    void cloudFirstPrefersTheCloudWhenItMeetsTheBudgetEvenIfTheEdgeIsFaster() {
        PlacementDecision d = decide(Inputs.measured(5, 30), PlacementPreference.CLOUD_FIRST);
        assertThat(d.site()).isEqualTo(Site.CLOUD);
        assertThat(d.outcome()).isEqualTo(Outcome.MEETS_BUDGET);
        assertThat(d.reason()).startsWith("cloud p95 18.5 ms (rtt 12.0 + transfer 1.1 + compute 4.9 + queue 0.5) "
                + "meets budget 30 ms (cloud-first)");
        assertThat(decide(Inputs.measured(5, 30), PlacementPreference.EDGE_FIRST).site()).isEqualTo(Site.EDGE);
    }

    @Test
    void cloudFirstFallsBackToTheEdgeWhenTheCloudMissesTheBudget() {
        PlacementDecision d = decide(Inputs.measured(20, 80, 30), PlacementPreference.CLOUD_FIRST);
        assertThat(d.site()).isEqualTo(Site.EDGE);
        assertThat(d.outcome()).isEqualTo(Outcome.MEETS_BUDGET);
        assertThat(d.reason()).isEqualTo("cloud p95 86.5 ms (rtt 80.0 + transfer 1.1 + compute 4.9 + queue 0.5) > "
                + "budget 30 ms (cloud-first); edge p95 20.0 ms meets it");
    }

    @Test
    void cloudFirstStillTakesTheFasterSiteWhenNeitherMeetsTheBudget() {
        PlacementDecision d = decide(Inputs.measured(40, 80, 30), PlacementPreference.CLOUD_FIRST);
        assertThat(d.site()).isEqualTo(Site.EDGE);
        assertThat(d.outcome()).isEqualTo(Outcome.VIOLATES_BUDGET);
        assertThat(d.reason()).endsWith("edge is faster: placed there, violating the budget");
    }

    @Test
    void anOperatorPinWinsOverTheRuleAndSaysSo() {
        Placer.Evaluation e = placer.evaluate(Inputs.measured(5, 30), PlacementPreference.EDGE_FIRST, Site.CLOUD,
                PlacementState.settled(Site.EDGE), T0);
        assertThat(e.decision().site()).isEqualTo(Site.CLOUD);
        assertThat(e.decision().outcome()).isEqualTo(Outcome.PINNED);
        assertThat(e.decision().ruleSite()).isEqualTo(Site.EDGE);
        assertThat(e.decision().reason()).startsWith("pinned by operator to cloud; the rule alone would choose edge: "
                + "edge p95 5.0 ms meets budget 30 ms");
        assertThat(e.decision().changed()).isTrue();
        assertThat(e.next()).isEqualTo(PlacementState.settled(Site.CLOUD));
    }

    @Test
    void aPinWinsOverAChangeThatIsBuildingUpAndClearsIt() {
        PlacementState building = new PlacementState(Site.EDGE, Site.CLOUD, 2, T0);
        Placer.Evaluation e = placer.evaluate(Inputs.measured(80, 30), PlacementPreference.EDGE_FIRST, Site.EDGE,
                building, T0.plusSeconds(600));
        assertThat(e.decision().site()).isEqualTo(Site.EDGE);
        assertThat(e.decision().reason()).startsWith("pinned by operator");
        assertThat(e.next()).isEqualTo(PlacementState.settled(Site.EDGE));
    }

    @Test
    void aDeviceWithoutRoundTripOrCloudStatisticsGetsStatedAssumptions() {
        PlacementInputs in = new PlacementInputs(30, Inputs.ONE_GFLOP, new DeviceSignals(50.0, null, null), null,
                CloudSignals.UNKNOWN);
        PlacementDecision d = decide(in, PlacementPreference.EDGE_FIRST);
        // edge 40 ms misses; cloud = assumed rtt 100 + transfer 11,000 B at 1 MB/s = 11 + compute 1 GFLOP at 20 GFLOP/s = 50 + queue 0
        assertThat(d.cloud().p95Millis()).isEqualTo(161.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(d.site()).isEqualTo(Site.EDGE);
        assertThat(d.outcome()).isEqualTo(Outcome.VIOLATES_BUDGET);
        assertThat(d.reason()).contains("cloud p95 161.0 ms (rtt 100.0 + transfer 11.0 + compute 50.0 + queue 0.0)")
                .contains("no RTT measured yet: assumed 100.0 ms")
                .contains("no uplink measured yet: assumed 1.0 MB/s")
                .contains("no cloud compute statistics yet: estimated 50.0 ms from 1.000 GFLOP at 20.0 GFLOP/s")
                .contains("no cloud queue statistics yet: queueing assumed 0 ms");
        assertThat(d.assumptions()).hasSize(5);
    }

    @Test
    void anUnknownEdgeFallsToACloudThatMeetsTheBudget() {
        PlacementInputs in = new PlacementInputs(30, Inputs.ONE_GFLOP, new DeviceSignals(null, 12_000L, Inputs.UPLINK),
                null, Inputs.CLOUD);
        PlacementDecision d = decide(in, PlacementPreference.EDGE_FIRST);
        assertThat(d.site()).isEqualTo(Site.CLOUD);
        assertThat(d.edge().basis()).isEqualTo(EdgeEstimate.Basis.UNKNOWN);
        assertThat(d.reason()).isEqualTo("edge p95 unknown; cloud p95 18.5 ms (rtt 12.0 + transfer 1.1 + compute 4.9 "
                + "+ queue 0.5) meets budget 30 ms; edge p95 unknown: not measured and the device reports no GFLOP/s");
    }

    @Test
    void whenOnlyOneSiteHasAnEstimateAndItMissesTheBudgetItIsChosenAndFlagged() {
        PlacementInputs in = new PlacementInputs(10, Inputs.ONE_GFLOP, new DeviceSignals(null, 12_000L, Inputs.UPLINK),
                null, Inputs.CLOUD);
        PlacementDecision d = decide(in, PlacementPreference.EDGE_FIRST);
        assertThat(d.site()).isEqualTo(Site.CLOUD);
        assertThat(d.outcome()).isEqualTo(Outcome.VIOLATES_BUDGET);
        assertThat(d.reason()).startsWith("edge p95 unknown; cloud p95 18.5 ms").contains("> budget 10 ms; only cloud "
                + "has an estimate: placed there, violating the budget");
    }

    @Test
    void withNothingKnownTheModelGoesToThePreferredSiteWithNoEstimate() {
        PlacementInputs in = new PlacementInputs(30, ModelCost.UNKNOWN, DeviceSignals.UNKNOWN, null, CloudSignals.UNKNOWN);
        PlacementDecision d = decide(in, PlacementPreference.EDGE_FIRST);
        assertThat(d.site()).isEqualTo(Site.EDGE);
        assertThat(d.outcome()).isEqualTo(Outcome.NO_ESTIMATE);
        assertThat(d.reason()).startsWith("edge and cloud p95 unknown: placed on edge (the preferred site) until "
                + "measurements arrive").contains("request size unknown");
        assertThat(decide(in, PlacementPreference.CLOUD_FIRST).site()).isEqualTo(Site.CLOUD);
        assertThat(d.cloud().known()).isFalse();
    }

    @Test
    void assumptionsAboutASiteTheRuleNeverConsultedStayOutOfTheReasonButAreKept() {
        PlacementInputs in = new PlacementInputs(30, Inputs.ONE_GFLOP, new DeviceSignals(null, null, null), 5_000L,
                Inputs.CLOUD);
        PlacementDecision d = decide(in, PlacementPreference.EDGE_FIRST);
        assertThat(d.reason()).isEqualTo("edge p95 5.0 ms meets budget 30 ms");
        assertThat(d.assumptions()).contains("no RTT measured yet: assumed 100.0 ms");
    }

    @Test
    void impossibleInputsAreRefusedNamingTheField() {
        assertThatThrownBy(() -> new PlacementInputs(0, null, null, null, null)).hasMessageContaining("budgetMillis");
        assertThatThrownBy(() -> new PlacementInputs(Double.NaN, null, null, null, null))
                .hasMessageContaining("budgetMillis");
        assertThatThrownBy(() -> new PlacementInputs(30, null, null, -1L, null)).hasMessageContaining("edgeP95Micros");
        assertThatThrownBy(() -> new DeviceSignals(0.0, null, null)).hasMessageContaining("engineGflops");
        assertThatThrownBy(() -> new DeviceSignals(null, -5L, null)).hasMessageContaining("rttP95Micros");
        assertThatThrownBy(() -> new DeviceSignals(null, null, 0L)).hasMessageContaining("uplinkBytesPerSecond");
        assertThatThrownBy(() -> new ModelCost(-1L, null, null)).hasMessageContaining("flops");
        assertThatThrownBy(() -> new CloudSignals(null, -1L)).hasMessageContaining("queueP95Micros");
        assertThatThrownBy(() -> placer.evaluate(null, PlacementPreference.EDGE_FIRST, null, null, T0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void impossibleConfigurationIsRefusedNamingTheSetting() {
        PlacementConfig d = PlacementConfig.defaults();
        assertThatThrownBy(() -> new PlacementConfig(0, 20, 100, 1, 0.2, 3, Duration.ZERO))
                .hasMessageContaining("edgeEfficiency");
        assertThatThrownBy(() -> new PlacementConfig(1.5, 20, 100, 1, 0.2, 3, Duration.ZERO))
                .hasMessageContaining("edgeEfficiency");
        assertThatThrownBy(() -> new PlacementConfig(0.5, 0, 100, 1, 0.2, 3, Duration.ZERO))
                .hasMessageContaining("cloudGflops");
        assertThatThrownBy(() -> new PlacementConfig(0.5, 20, -1, 1, 0.2, 3, Duration.ZERO))
                .hasMessageContaining("assumedRttMillis");
        assertThatThrownBy(() -> new PlacementConfig(0.5, 20, 100, 0, 0.2, 3, Duration.ZERO))
                .hasMessageContaining("assumedUplinkBytesPerSecond");
        assertThatThrownBy(() -> d.withHysteresis(1.0, 3, Duration.ZERO)).hasMessageContaining("hysteresisMargin");
        assertThatThrownBy(() -> d.withHysteresis(0.2, 0, Duration.ZERO)).hasMessageContaining("sustainEvaluations");
        assertThatThrownBy(() -> d.withHysteresis(0.2, 1, Duration.ofSeconds(-1))).hasMessageContaining("sustainDuration");
        assertThatThrownBy(() -> new PlacementState(Site.EDGE, Site.EDGE, 1, T0)).hasMessageContaining("pending");
        assertThatThrownBy(() -> new PlacementState(Site.EDGE, Site.CLOUD, 0, T0)).hasMessageContaining("together");
        assertThatThrownBy(() -> new PlacementState(null, null, 0, null)).hasMessageContaining("current");
    }
}
