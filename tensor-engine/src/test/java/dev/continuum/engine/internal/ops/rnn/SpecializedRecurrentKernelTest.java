package dev.continuum.engine.internal.ops.rnn;

import dev.continuum.engine.internal.ops.TestNodes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.Arena;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;
import dev.continuum.engine.internal.ops.WorkerPool;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The kernels specialised at load (W, R, B constant, prepared once) against the generic kernels,
 * which prepare the weights from their inputs on every run, over every attribute; and their outputs
 * from a reused, dirty arena on two threads against a fresh serial run.
 */
class SpecializedRecurrentKernelTest {
    private static final WorkerPool POOL = new WorkerPool(2);

    /** Shape inference context whose inputs 1 to 3 (W, R, B) are constants. */
    private static TypeContext constants(Tensor[] in) {
        return new TypeContext() {
            @Override
            public int inputCount() {
                return in.length;
            }

            @Override
            public ValueType input(int i) {
                return in[i] == null ? ValueType.unknown() : ValueType.of(in[i].dataType(), in[i].dims());
            }

            @Override
            public Tensor constant(int i) {
                return i >= 1 && i <= 3 ? in[i] : null;
            }

            @Override
            public boolean hasInput(int i) {
                return i < in.length && in[i] != null;
            }
        };
    }

    private static Tensor random(Random rnd, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextGaussian() * 0.6);
        }
        return Tensor.ofFloats(shape, v);
    }

    /** Inputs X, W, R, B, sequence_lens, initial_h, initial_c, P for a problem of this shape. */
    private static Tensor[] inputs(long seed, int gates, int dirs, int seq, int batch, int input, int hidden,
                                   boolean batchMajor, boolean ragged, boolean peepholes) {
        Random rnd = new Random(seed);
        int gh = gates * hidden;
        Tensor x = batchMajor ? random(rnd, batch, seq, input) : random(rnd, seq, batch, input);
        int[] lens = new int[batch];
        for (int i = 0; i < batch; i++) {
            lens[i] = ragged ? (i * 2 + 1) % (seq + 1) : seq;
        }
        Tensor h0 = batchMajor ? random(rnd, batch, dirs, hidden) : random(rnd, dirs, batch, hidden);
        Tensor c0 = gates == 4 ? (batchMajor ? random(rnd, batch, dirs, hidden) : random(rnd, dirs, batch, hidden)) : null;
        return new Tensor[] {x, random(rnd, dirs, gh, input), random(rnd, dirs, gh, hidden), random(rnd, dirs, 2 * gh),
                Tensor.ofInts(new int[] {batch}, lens), h0, c0, peepholes ? random(rnd, dirs, 3 * hidden) : null};
    }

    private static void check(String what, Function<TestNodes, Kernel> make, TestNodes attrs, Tensor[] in) {
        Kernel generic = make.apply(attrs);
        Kernel special = generic.specialize(constants(in));
        assertThat(special).as(what + " specialises").isNotSameAs(generic);
        Tensor[] want = generic.compute(ExecContext.serial(), in);
        Arena arena = new Arena();
        ExecContext ctx = new ExecContext(POOL, 2, arena);
        for (int run = 0; run < 3; run++) {
            Tensor[] got = special.compute(ctx, in);
            for (int o = 0; o < want.length; o++) {
                assertThat(got[o].dims()).as(what + " output " + o + " shape").containsExactly(want[o].dims());
                assertThat(got[o].floatData()).as(what + " output " + o + " run " + run)
                        .containsExactly(want[o].floatData());
            }
            for (Tensor t : got) {
                t.floatData()[0] = Float.NaN; // dirty the arrays the next run takes back
                arena.recycle(t.data());
            }
        }
    }

    @Test
    void specialisedLstmMatchesGenericWithPeepholesInputForgetClipBidirectionalRaggedBatchMajor() {
        for (boolean batchMajor : new boolean[] {false, true}) {
            for (int flags = 0; flags < 4; flags++) {
                boolean ragged = (flags & 1) != 0;
                boolean forget = (flags & 2) != 0;
                TestNodes attrs = TestNodes.op("LSTM").s("direction", "bidirectional").i("hidden_size", 13)
                        .i("layout", batchMajor ? 1 : 0).i("input_forget", forget ? 1 : 0).f("clip", 2.5f);
                check("LSTM layout=" + (batchMajor ? 1 : 0) + " ragged=" + ragged + " input_forget=" + forget,
                        a -> new Lstm(a.node(14)), attrs, inputs(flags, 4, 2, 5, 3, 7, 13, batchMajor, ragged, true));
            }
        }
    }

    @Test
    void largeLstmRunsItsDirectionsAndRowsInParallelAndMatchesGeneric() {
        // 2 * seq * 4 * hidden^2 = 229k flops per (direction, row): above the threshold for threads
        TestNodes attrs = TestNodes.op("LSTM").s("direction", "bidirectional").i("hidden_size", 64);
        check("LSTM bidirectional hidden 64 seq 7 batch 3", a -> new Lstm(a.node(14)), attrs,
                inputs(11, 4, 2, 7, 3, 20, 64, false, true, true));
    }

    @Test
    void specialisedGruMatchesGenericWithAndWithoutLinearBeforeReset() {
        for (int lbr = 0; lbr < 2; lbr++) {
            for (String dir : new String[] {"forward", "reverse", "bidirectional"}) {
                int dirs = dir.equals("bidirectional") ? 2 : 1;
                TestNodes attrs = TestNodes.op("GRU").s("direction", dir).i("hidden_size", 9)
                        .i("linear_before_reset", lbr);
                check("GRU " + dir + " linear_before_reset=" + lbr, a -> new Gru(a.node(14)), attrs,
                        inputs(lbr * 7L + dirs, 3, dirs, 6, 2, 5, 9, false, lbr == 1, false));
            }
        }
    }

    @Test
    void specialisedRnnMatchesGenericWithActivationsAndReverse() {
        TestNodes attrs = TestNodes.op("RNN").s("direction", "bidirectional").i("hidden_size", 33)
                .strings("activations", "Tanh", "Relu");
        check("RNN bidirectional Tanh/Relu", a -> new Rnn(a.node(14)), attrs,
                inputs(5, 1, 2, 4, 2, 17, 33, false, true, false));
    }
}
