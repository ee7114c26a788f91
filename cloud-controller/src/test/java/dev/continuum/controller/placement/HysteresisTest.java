package dev.continuum.controller.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Defaults: margin 20%, a change must hold for 3 evaluations over at least 60 s. Budget 30 ms, cloud p95 18.5 ms. */
class HysteresisTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private final Placer placer = new Placer(PlacementConfig.defaults());

    /** Evaluates a series of edge p95s, 30 s apart, starting from {@code start}; returns the chosen sites. */
    private List<PlacementDecision> run(Site start, double... edgeMillis) {
        PlacementState state = PlacementState.settled(start);
        List<PlacementDecision> out = new ArrayList<>();
        for (int i = 0; i < edgeMillis.length; i++) {
            Placer.Evaluation e = placer.evaluate(Inputs.measured(edgeMillis[i], 30), PlacementPreference.EDGE_FIRST,
                    null, state, T0.plusSeconds(30L * i));
            out.add(e.decision());
            state = e.next();
        }
        return out;
    }

    private static List<Site> sites(List<PlacementDecision> ds) {
        return ds.stream().map(PlacementDecision::site).toList();
    }

    @Test
    void noiseAroundTheBudgetDoesNotMoveAModelOffTheEdge() {
        List<PlacementDecision> ds = run(Site.EDGE, 28, 33, 29, 35, 31, 34, 27, 35.9, 32);
        assertThat(sites(ds)).containsOnly(Site.EDGE);
        PlacementDecision over = ds.get(1);
        assertThat(over.ruleSite()).as("the plain rule alone would flap").isEqualTo(Site.CLOUD);
        assertThat(over.outcome()).as("holding on the edge is reported honestly").isEqualTo(Outcome.VIOLATES_BUDGET);
        assertThat(over.reason()).contains("edge p95 33.0 ms > budget 30 ms")
                .contains("staying on edge: the change to cloud does not win by the 20% hysteresis margin "
                        + "(edge counts as meeting the budget up to 36.0 ms, cloud only up to 24.0 ms");
        assertThat(ds.get(0).reason()).isEqualTo("edge p95 28.0 ms meets budget 30 ms");
    }

    @Test
    void noiseAroundTheBudgetDoesNotBringAModelBackFromTheCloud() {
        List<PlacementDecision> ds = run(Site.CLOUD, 29, 26, 28, 25, 29.5, 24.5);
        assertThat(sites(ds)).containsOnly(Site.CLOUD);
        assertThat(ds.get(0).ruleSite()).isEqualTo(Site.EDGE);
        assertThat(ds.get(0).reason()).contains("staying on cloud");
    }

    @Test
    void aSustainedRiseMovesTheModelToTheCloudOnceTheChangeHasHeld() {
        List<PlacementDecision> ds = run(Site.EDGE, 40, 40, 40, 40);
        assertThat(sites(ds)).containsExactly(Site.EDGE, Site.EDGE, Site.CLOUD, Site.CLOUD);
        assertThat(ds.get(0).reason()).endsWith("staying on edge until the change to cloud holds (1 of 3 evaluations, "
                + "0 s of 60 s)");
        assertThat(ds.get(1).reason()).endsWith("(2 of 3 evaluations, 30 s of 60 s)");
        assertThat(ds.get(2).changed()).isTrue();
        assertThat(ds.get(2).previousSite()).isEqualTo(Site.EDGE);
        assertThat(ds.get(2).outcome()).isEqualTo(Outcome.MEETS_BUDGET);
        assertThat(ds.get(2).reason()).isEqualTo("edge p95 40.0 ms > budget 30 ms; cloud p95 18.5 ms (rtt 12.0 + "
                + "transfer 1.1 + compute 4.9 + queue 0.5) meets it; changed from edge after the change held for 3 "
                + "evaluations over 60 s");
        assertThat(ds.get(3).changed()).isFalse();
    }

    @Test
    void aSustainedFallBringsTheModelBackToTheEdge() {
        List<PlacementDecision> ds = run(Site.CLOUD, 20, 20, 20);
        assertThat(sites(ds)).containsExactly(Site.CLOUD, Site.CLOUD, Site.EDGE);
        assertThat(ds.get(2).reason()).startsWith("edge p95 20.0 ms meets budget 30 ms; changed from cloud");
    }

    @Test
    void oneEvaluationInsideTheMarginRestartsTheCount() {
        List<PlacementDecision> ds = run(Site.EDGE, 40, 40, 33, 40, 40, 40);
        assertThat(sites(ds)).containsExactly(Site.EDGE, Site.EDGE, Site.EDGE, Site.EDGE, Site.EDGE, Site.CLOUD);
        assertThat(ds.get(3).reason()).contains("(1 of 3 evaluations, 0 s of 60 s)");
    }

    @Test
    void theFirstMeasurementMovesAPlacementMadeOnAnEstimateAtOnce() {
        // before install: 1 GFLOP/s estimates the 10 ms budget met on the edge
        Placer.Evaluation guessed = placer.evaluate(Inputs.estimated(100, 12, 30), PlacementPreference.EDGE_FIRST, null,
                null, T0);
        assertThat(guessed.decision().site()).isEqualTo(Site.EDGE);
        assertThat(guessed.next().provisional()).isTrue();

        Placer.Evaluation measured = placer.evaluate(Inputs.measured(40, 30), PlacementPreference.EDGE_FIRST, null,
                guessed.next(), T0.plusSeconds(10));
        assertThat(measured.decision().site()).as("no 60 s of sustain against a guess").isEqualTo(Site.CLOUD);
        assertThat(measured.decision().reason()).endsWith("changed from edge at once: the edge p95 is measured now, "
                + "the earlier placement rested on an estimate");
        assertThat(measured.next()).isEqualTo(PlacementState.settled(Site.CLOUD, false));

        Placer.Evaluation noise = placer.evaluate(Inputs.measured(28, 30), PlacementPreference.EDGE_FIRST, null,
                measured.next(), T0.plusSeconds(20));
        assertThat(noise.decision().site()).as("from now on hysteresis holds").isEqualTo(Site.CLOUD);
    }

    @Test
    void enoughEvaluationsAreNotEnoughBeforeTheSustainTimeHasPassed() {
        PlacementState state = PlacementState.settled(Site.EDGE);
        for (int s : new int[] {0, 5, 10, 15}) {
            Placer.Evaluation e = placer.evaluate(Inputs.measured(40, 30), PlacementPreference.EDGE_FIRST, null, state,
                    T0.plusSeconds(s));
            assertThat(e.decision().site()).as("at %d s", s).isEqualTo(Site.EDGE);
            state = e.next();
        }
        assertThat(state.pendingCount()).isEqualTo(4);
        Placer.Evaluation e = placer.evaluate(Inputs.measured(40, 30), PlacementPreference.EDGE_FIRST, null, state,
                T0.plusSeconds(60));
        assertThat(e.decision().site()).isEqualTo(Site.CLOUD);
        assertThat(e.decision().reason()).endsWith("held for 5 evaluations over 60 s");
    }

    @Test
    void whenNeitherSiteMeetsTheBudgetTheOtherMustBeFasterByTheMargin() {
        // edge 50 ms is the incumbent; cloud 45 ms (rtt 38.5) is faster but not by 20%
        PlacementState state = PlacementState.settled(Site.EDGE);
        Placer.Evaluation close = placer.evaluate(Inputs.measured(50, 38.5, 30), PlacementPreference.EDGE_FIRST, null,
                state, T0);
        assertThat(close.decision().ruleSite()).isEqualTo(Site.CLOUD);
        assertThat(close.decision().site()).isEqualTo(Site.EDGE);
        assertThat(close.next().pending()).isNull();
        // cloud 35 ms (rtt 28.5) is 30% faster: the change builds up
        Placer.Evaluation clear = placer.evaluate(Inputs.measured(50, 28.5, 30), PlacementPreference.EDGE_FIRST, null,
                state, T0);
        assertThat(clear.next().pending()).isEqualTo(Site.CLOUD);
    }

    @Test
    void withoutHysteresisEveryEvaluationFollowsTheRule() {
        Placer eager = new Placer(PlacementConfig.defaults().withHysteresis(0, 1, Duration.ZERO));
        PlacementState state = PlacementState.settled(Site.EDGE);
        List<Site> out = new ArrayList<>();
        for (double edge : new double[] {28, 33, 29}) {
            Placer.Evaluation e = eager.evaluate(Inputs.measured(edge, 30), PlacementPreference.EDGE_FIRST, null, state, T0);
            out.add(e.decision().site());
            state = e.next();
        }
        assertThat(out).containsExactly(Site.EDGE, Site.CLOUD, Site.EDGE);
    }
}
