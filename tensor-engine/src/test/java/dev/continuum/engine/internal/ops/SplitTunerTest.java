package dev.continuum.engine.internal.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

class SplitTunerTest {
    private static final long INITIAL = 1L << 20;

    /**
     * Runs the tuner's protocol until it chooses (or maxRuns), a timed run of candidate c taking
     * {@code nanosOfTimedRun(c)}; returns the runs made.
     */
    private static int runUntilChosen(SplitTuner tuner, IntToLongFunction nanosOfTimedRun, int maxRuns) {
        for (int run = 0; run < maxRuns; run++) {
            int trial = tuner.trial();
            if (trial == SplitTuner.NONE && tuner.chosen() != 0) {
                return run;
            }
            tuner.record(trial, trial >= 0 ? nanosOfTimedRun.applyAsLong(trial) : 1);
        }
        return maxRuns;
    }

    @Test
    void untilWarmTheRunsTryNothingAndUseTheInitialThreshold() {
        SplitTuner tuner = new SplitTuner(INITIAL, Long.MAX_VALUE);
        for (int i = 0; i < 1000; i++) {
            int trial = tuner.trial();
            assertThat(trial).isEqualTo(SplitTuner.NONE);
            assertThat(tuner.threshold(trial)).isEqualTo(INITIAL);
            tuner.record(trial, 5);
        }
        assertThat(tuner.chosen()).isZero();
    }

    @Test
    void warmRunsTakeTheCandidatesInBlocksWhoseFirstRunsAreNotTimed() {
        SplitTuner tuner = new SplitTuner(INITIAL, 0);
        for (int i = 0; i < SplitTuner.WARM_RUNS; i++) {
            assertThat(tuner.trial()).isEqualTo(SplitTuner.NONE);
        }
        List<Integer> trials = new ArrayList<>();
        for (int i = 0; i < 2 * SplitTuner.CANDIDATES.length * SplitTuner.BLOCK_RUNS; i++) {
            trials.add(tuner.trial());
        }
        for (int i = 0; i < trials.size(); i++) {
            int candidate = i / SplitTuner.BLOCK_RUNS % SplitTuner.CANDIDATES.length;
            boolean settling = i % SplitTuner.BLOCK_RUNS < SplitTuner.SETTLE_RUNS;
            assertThat(trials.get(i)).as("run %d", i).isEqualTo(settling ? -2 - candidate : candidate);
            assertThat(tuner.threshold(trials.get(i))).isEqualTo(SplitTuner.CANDIDATES[candidate]);
        }
    }

    @Test
    void theFastestCandidateIsChosenOnceTwoRoundsAgree() {
        SplitTuner tuner = new SplitTuner(INITIAL, 0);
        long[] nanos = {300, 100, 200, 400};
        int runs = runUntilChosen(tuner, c -> nanos[c], 100_000);
        assertThat(tuner.chosen()).isEqualTo(SplitTuner.CANDIDATES[1]);
        int perRound = SplitTuner.CANDIDATES.length * SplitTuner.SAMPLES * SplitTuner.BLOCK_RUNS
                / (SplitTuner.BLOCK_RUNS - SplitTuner.SETTLE_RUNS);
        assertThat(runs).isBetween(2 * perRound, 3 * perRound + SplitTuner.WARM_RUNS);
        assertThat(tuner.trial()).isEqualTo(SplitTuner.NONE);
        assertThat(tuner.threshold(SplitTuner.NONE)).isEqualTo(SplitTuner.CANDIDATES[1]);
    }

    @Test
    void aLargerThresholdWithinTheToleranceIsPreferred() {
        SplitTuner tuner = new SplitTuner(INITIAL, 0);
        long[] nanos = {1000, 1015, 1010, 1100};
        runUntilChosen(tuner, c -> nanos[c], 100_000);
        assertThat(tuner.chosen()).isEqualTo(SplitTuner.CANDIDATES[2]);
        assertThat(SplitTuner.pick(new long[] {100, 100, 100, 100})).isEqualTo(3);
        assertThat(SplitTuner.pick(new long[] {100, 200, 300, 400})).isZero();
    }

    @Test
    void runsThatStillGetFasterDoNotSettleTheThreshold() {
        SplitTuner tuner = new SplitTuner(INITIAL, 0);
        int perRound = SplitTuner.CANDIDATES.length * SplitTuner.SAMPLES;
        int[] timed = {0};
        // every round 30 % faster than the last (a JIT still compiling), candidate 0 always the fastest
        runUntilChosen(tuner, c -> {
            long round = timed[0]++ / perRound;
            return (long) ((c == 0 ? 1_000_000 : 2_000_000) * Math.pow(0.7, Math.min(round, 6)));
        }, 200_000);
        long rounds = timed[0] / perRound;
        assertThat(tuner.chosen()).isEqualTo(SplitTuner.CANDIDATES[0]);
        assertThat(rounds).as("rounds timed").isGreaterThanOrEqualTo(8);
    }

    @Test
    void withoutAgreementTheLastPickStandsAfterTheLastRound() {
        SplitTuner tuner = new SplitTuner(INITIAL, 0);
        int perRound = SplitTuner.CANDIDATES.length * SplitTuner.SAMPLES;
        int[] timed = {0};
        // the fastest candidate changes every round
        runUntilChosen(tuner, c -> {
            long round = timed[0]++ / perRound;
            return c == round % SplitTuner.CANDIDATES.length ? 100 : 500;
        }, 1_000_000);
        assertThat(timed[0] / perRound).isEqualTo(SplitTuner.MAX_ROUNDS);
        assertThat(tuner.chosen()).isEqualTo(SplitTuner.CANDIDATES[(SplitTuner.MAX_ROUNDS - 1) % 4]);
    }

    @Test
    void untimedRunsAndLateSamplesAreIgnored() {
        SplitTuner tuner = new SplitTuner(INITIAL, 0);
        tuner.record(SplitTuner.NONE, 1);
        tuner.record(-2, 1);
        assertThat(tuner.chosen()).isZero();
        runUntilChosen(tuner, c -> 100 * (c + 1), 100_000);
        long chosen = tuner.chosen();
        tuner.record(3, 1);
        assertThat(tuner.chosen()).isEqualTo(chosen).isEqualTo(SplitTuner.CANDIDATES[0]);
    }

    @Test
    void anInitialThresholdBelowOneIsRefused() {
        assertThatThrownBy(() -> new SplitTuner(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initial threshold");
    }
}
