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

    /** How long a timed run of a candidate takes in a round (rounds counted from 0 in timed runs). */
    private interface RoundTimes {
        long nanos(long round, int candidate);
    }

    /** {@link #runUntilChosen} with the timed runs' lengths by round; returns the rounds timed. */
    private static long roundsUntilChosen(SplitTuner tuner, RoundTimes times) {
        int perRound = SplitTuner.CANDIDATES.length * SplitTuner.SAMPLES;
        long[] timed = {0};
        runUntilChosen(tuner, c -> times.nanos(timed[0]++ / perRound, c), 1_000_000);
        return timed[0] / perRound;
    }

    @Test
    void aChosenThresholdIsTunedAgainOnceItsTimeIsUpAndKeptMeanwhile() {
        SplitTuner tuner = new SplitTuner(INITIAL, 0, 0, () -> -1);
        long[] first = {300, 100, 200, 400};
        runUntilChosen(tuner, c -> first[c], 100_000);
        assertThat(tuner.chosen()).isEqualTo(SplitTuner.CANDIDATES[1]);
        // the clock is looked at every RETUNE_CHECK_RUNS runs; with no time to wait, tuning starts then
        // (runUntilChosen's last run was the first after the choice)
        for (int i = 2; i < SplitTuner.RETUNE_CHECK_RUNS; i++) {
            assertThat(tuner.trial()).as("run %d after the choice", i).isEqualTo(SplitTuner.NONE);
        }
        int trial = tuner.trial();
        assertThat(trial).isNotEqualTo(SplitTuner.NONE);
        assertThat(tuner.chosen()).as("kept while it tunes").isEqualTo(SplitTuner.CANDIDATES[1]);
        assertThat(tuner.threshold(SplitTuner.NONE)).isEqualTo(SplitTuner.CANDIDATES[1]);
        // the machine changed: now the largest threshold is the fastest
        tuner.record(trial, 1);
        long[] second = {400, 300, 200, 100};
        runUntilChosen(tuner, c -> second[c], 100_000);
        assertThat(tuner.chosen()).isEqualTo(SplitTuner.CANDIDATES[3]);
    }

    @Test
    void aChosenThresholdStandsUntilItsTimeIsUp() {
        SplitTuner tuner = new SplitTuner(INITIAL, 0, Long.MAX_VALUE, () -> -1);
        long[] nanos = {300, 100, 200, 400};
        runUntilChosen(tuner, c -> nanos[c], 100_000);
        for (int i = 0; i < 10 * SplitTuner.RETUNE_CHECK_RUNS; i++) {
            assertThat(tuner.trial()).isEqualTo(SplitTuner.NONE);
        }
        assertThat(tuner.threshold(SplitTuner.NONE)).isEqualTo(SplitTuner.CANDIDATES[1]);
    }

    @Test
    void untilWarmTheRunsTryNothingAndUseTheInitialThreshold() {
        SplitTuner tuner = new SplitTuner(INITIAL, Long.MAX_VALUE, () -> -1);
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
        SplitTuner tuner = new SplitTuner(INITIAL, 0, () -> -1);
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
    void theFastestCandidateIsChosenFromTheSteadyRounds() {
        SplitTuner tuner = new SplitTuner(INITIAL, 0, () -> -1);
        long[] nanos = {300, 100, 200, 400};
        int runs = runUntilChosen(tuner, c -> nanos[c], 100_000);
        assertThat(tuner.chosen()).isEqualTo(SplitTuner.CANDIDATES[1]);
        // the first round has none before it to be steady against; then the pooled rounds
        int blocksPerRound = SplitTuner.CANDIDATES.length * SplitTuner.SAMPLES
                / (SplitTuner.BLOCK_RUNS - SplitTuner.SETTLE_RUNS);
        int perRound = blocksPerRound * SplitTuner.BLOCK_RUNS;
        int rounds = 1 + SplitTuner.POOLED_ROUNDS;
        assertThat(runs).isBetween(SplitTuner.WARM_RUNS + rounds * perRound - SplitTuner.BLOCK_RUNS,
                SplitTuner.WARM_RUNS + rounds * perRound + SplitTuner.BLOCK_RUNS);
        assertThat(tuner.trial()).isEqualTo(SplitTuner.NONE);
        assertThat(tuner.threshold(SplitTuner.NONE)).isEqualTo(SplitTuner.CANDIDATES[1]);
    }

    @Test
    void theSteadyRoundsArePooledSoThatOneNoisyRoundDoesNotDecide() {
        SplitTuner tuner = new SplitTuner(INITIAL, 0, () -> -1);
        // candidate 1 is the fastest but in the last round, where candidate 3 is
        roundsUntilChosen(tuner, (round, c) -> c == (round == SplitTuner.POOLED_ROUNDS ? 3 : 1) ? 100 : 110);
        assertThat(tuner.chosen()).isEqualTo(SplitTuner.CANDIDATES[1]);
    }

    @Test
    void aLargerThresholdWithinTheToleranceIsPreferred() {
        SplitTuner tuner = new SplitTuner(INITIAL, 0, () -> -1);
        long[] nanos = {1000, 1015, 1010, 1100};
        runUntilChosen(tuner, c -> nanos[c], 100_000);
        assertThat(tuner.chosen()).isEqualTo(SplitTuner.CANDIDATES[2]);
        assertThat(SplitTuner.pick(new long[] {100, 100, 100, 100})).isEqualTo(3);
        assertThat(SplitTuner.pick(new long[] {100, 200, 300, 400})).isZero();
    }

    @Test
    void runsThatStillGetFasterDoNotSettleTheThreshold() {
        SplitTuner tuner = new SplitTuner(INITIAL, 0, () -> -1);
        // every round 30 % faster than the last (a JIT still compiling), candidate 0 always the fastest
        long rounds = roundsUntilChosen(tuner,
                (round, c) -> (long) ((c == 0 ? 1_000_000 : 2_000_000) * Math.pow(0.7, Math.min(round, 6))));
        assertThat(tuner.chosen()).isEqualTo(SplitTuner.CANDIDATES[0]);
        // rounds 0-6 each 30 % faster than the last, 7 the first steady one, then the pooled rounds
        assertThat(rounds).as("rounds timed").isEqualTo(7 + SplitTuner.POOLED_ROUNDS);
    }

    @Test
    void roundsInWhichTheJitCompiledDoNotCount() {
        int[] calls = {0};
        // the JIT's compilation time: the first call when tuning starts, then one per round; it
        // grows by 1,000 s per round (more than any round's time) until the sixth round's end
        SplitTuner tuner = new SplitTuner(INITIAL, 0, () -> Math.min(calls[0]++, 6) * 1_000_000L);
        long rounds = roundsUntilChosen(tuner, (round, c) -> c == 2 ? 100 : 150);
        assertThat(tuner.chosen()).isEqualTo(SplitTuner.CANDIDATES[2]);
        // rounds 1-6 compiled; the seventh is the first quiet one, steady against the sixth
        assertThat(rounds).isEqualTo(6 + SplitTuner.POOLED_ROUNDS);
    }

    @Test
    void aRoundInWhichTheJitCompiledIsLeftOutOfThePool() {
        int[] calls = {0};
        // quiet but for one burst of compilation in the fifth round, after pooling began
        SplitTuner tuner = new SplitTuner(INITIAL, 0, () -> calls[0]++ < 5 ? 0 : 1_000_000L);
        long rounds = roundsUntilChosen(tuner, (round, c) -> c == 1 ? 100 : 120);
        assertThat(tuner.chosen()).isEqualTo(SplitTuner.CANDIDATES[1]);
        // the first round has none before it, the fifth is left out: eight pooled of ten
        assertThat(rounds).isEqualTo(2 + SplitTuner.POOLED_ROUNDS);
    }

    @Test
    void runsThatNeverSteadyAreDecidedByTheLastRound() {
        SplitTuner tuner = new SplitTuner(INITIAL, 0, () -> -1);
        // every other round three times slower, and the fastest candidate changes every round
        long rounds = roundsUntilChosen(tuner, (round, c) -> {
            long base = round % 2 == 0 ? 100 : 300;
            return c == round % SplitTuner.CANDIDATES.length ? base : 5 * base;
        });
        assertThat(rounds).isEqualTo(SplitTuner.MAX_ROUNDS);
        assertThat(tuner.chosen()).isEqualTo(SplitTuner.CANDIDATES[(SplitTuner.MAX_ROUNDS - 1) % 4]);
    }

    @Test
    void untimedRunsAndLateSamplesAreIgnored() {
        SplitTuner tuner = new SplitTuner(INITIAL, 0, () -> -1);
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
