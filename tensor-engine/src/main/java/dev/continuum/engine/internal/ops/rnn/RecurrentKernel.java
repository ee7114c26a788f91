package dev.continuum.engine.internal.ops.rnn;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.gemm.Sgemm;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;
import java.util.Arrays;

/**
 * What RNN, GRU and LSTM share: reading the inputs, projecting the whole input sequence of every
 * direction through W in one GEMM, running each (direction, batch row) pair on its own (they are
 * independent, so they run in parallel), and laying out Y, Y_h and Y_c.
 *
 * <p>When W, R and B are constants, {@link #specialize} prepares them once ({@link RecurrentWeights});
 * otherwise each run prepares them from its inputs. Both then run the same step loop.
 */
abstract class RecurrentKernel implements Kernel {
    final RecurrentAttributes attrs;
    private final int gates;
    private final int stateOutputs;

    /** W, R and B prepared at load, or null when they are prepared per run. */
    private final RecurrentWeights prepared;

    RecurrentKernel(Node node, Activation[] defaultActivations, int gates, int stateOutputs) {
        this.attrs = RecurrentAttributes.read(node, defaultActivations);
        this.gates = gates;
        this.stateOutputs = stateOutputs;
        this.prepared = null;
    }

    /** A copy of {@code from} with its weights prepared. */
    RecurrentKernel(RecurrentKernel from, RecurrentWeights prepared) {
        this.attrs = from.attrs;
        this.gates = from.gates;
        this.stateOutputs = from.stateOutputs;
        this.prepared = prepared;
    }

    /** This kernel with prepared weights. */
    abstract RecurrentKernel withWeights(RecurrentWeights w);

    /** True for GRU: the candidate gate's Rb stays out of the summed input bias. */
    boolean keepsCandidateRecurrentBias() {
        return false;
    }

    /**
     * Runs one batch row of direction {@code d} over its sequence, writing Y and the final states.
     * {@code projected} is (seq, batch, dirs, gates * hidden); the row's scratch is
     * {@code scratch[at, at + scratchSize)}.
     */
    abstract void runRow(RecurrentProblem p, RecurrentWeights w, int d, int row, float[] projected, float[] scratch,
                         int at);

    /** Floats of scratch one {@link #runRow} call needs. */
    abstract int scratchSize(RecurrentProblem p);

    @Override
    public Kernel specialize(TypeContext ctx) {
        Tensor w = ctx.constant(1);
        Tensor r = ctx.constant(2);
        Tensor b = ctx.hasInput(3) ? ctx.constant(3) : null;
        if (w == null || r == null || (ctx.hasInput(3) && b == null) || prepared != null) {
            return this;
        }
        if (w.dataType() != DataType.FLOAT || r.dataType() != DataType.FLOAT
                || (b != null && b.dataType() != DataType.FLOAT) || r.rank() != 3 || w.rank() != 3) {
            return this;
        }
        int dirs = attrs.direction().count();
        int hidden = attrs.hiddenSize() > 0 ? attrs.hiddenSize() : r.dim(2);
        int input = w.dim(2);
        int gh = gates * hidden;
        if (!Arrays.equals(w.dims(), new int[] {dirs, gh, input}) || !Arrays.equals(r.dims(), new int[] {dirs, gh, hidden})
                || (b != null && !Arrays.equals(b.dims(), new int[] {dirs, 2 * gh}))) {
            return this; // the run reports the mismatch
        }
        return withWeights(RecurrentWeights.prepare(w.floatData(), r.floatData(), b == null ? null : b.floatData(),
                dirs, gates, hidden, input, keepsCandidateRecurrentBias()));
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        RecurrentProblem p = new RecurrentProblem(inputs, attrs, gates, ctx);
        RecurrentWeights w = prepared != null ? prepared : RecurrentWeights.prepare(p.w, p.r, p.b, p.dirs, gates,
                p.hidden, p.inputSize, keepsCandidateRecurrentBias());
        float[] projected = project(p, w, ctx);
        int size = scratchSize(p);
        int units = p.dirs * p.batch;
        float[] scratch = ctx.floats(units * size);
        // (direction, row) units split across threads only when there is enough work to pay the wake-up
        long unitFlops = 2L * p.seq * p.gates * p.hidden * p.hidden;
        int grain = ctx.worthSplitting(unitFlops * units) ? 1 : units;
        ctx.parallelFor(units, grain, (from, to) -> {
            for (int i = from; i < to; i++) {
                runRow(p, w, i / p.batch, i % p.batch, projected, scratch, i * size);
            }
        });
        ctx.recycle(scratch);
        ctx.recycle(projected);
        p.recycleInputCopies(ctx);
        return outputs(p, ctx);
    }

    /** X * W^T of every direction plus the summed biases: (seq, batch, dirs, gates * hidden). */
    private static float[] project(RecurrentProblem p, RecurrentWeights w, ExecContext ctx) {
        int width = p.dirs * p.gates * p.hidden;
        int rows = p.seq * p.batch;
        float[] out = ctx.floats(rows * width);
        float beta = 0f;
        if (w.inputBias != null) {
            for (int i = 0; i < rows; i++) {
                System.arraycopy(w.inputBias, 0, out, i * width, width);
            }
            beta = 1f;
        }
        Sgemm.get().sgemmPacked(false, rows, 1f, p.x, 0, p.inputSize, w.w, beta, out, 0, width, ctx);
        return out;
    }

    /** Clips (when the op has {@code clip}) and activates {@code g[off, off + n)} in place. */
    final void gate(float[] g, int off, int n, Activation f) {
        attrs.clip(g, off, n);
        f.apply(g, off, n);
    }

    /** Copies the initial state of (d, row) into {@code dst}, or zeros when there is none. */
    static void initialState(RecurrentProblem p, float[] initial, int d, int row, float[] dst, int dstOff) {
        if (initial == null) {
            Arrays.fill(dst, dstOff, dstOff + p.hidden, 0f);
        } else {
            System.arraycopy(initial, p.stateOffset(d, row), dst, dstOff, p.hidden);
        }
    }

    private Tensor[] outputs(RecurrentProblem p, ExecContext ctx) {
        boolean batchMajor = attrs.layout() == 1;
        Tensor[] out = new Tensor[1 + stateOutputs];
        int[] yShape = batchMajor ? new int[] {p.batch, p.seq, p.dirs, p.hidden} : new int[] {p.seq, p.dirs, p.batch, p.hidden};
        out[0] = Tensor.of(DataType.FLOAT, yShape, batchMajor ? toBatchMajor(p, ctx) : p.y);
        int[] stateShape = batchMajor ? new int[] {p.batch, p.dirs, p.hidden} : new int[] {p.dirs, p.batch, p.hidden};
        out[1] = Tensor.of(DataType.FLOAT, stateShape, batchMajor ? swap(p.yH, p, ctx) : p.yH);
        if (stateOutputs > 1) {
            out[2] = Tensor.of(DataType.FLOAT, stateShape, batchMajor ? swap(p.yC, p, ctx) : p.yC);
        } else {
            ctx.recycle(p.yC);
        }
        return out;
    }

    private static float[] swap(float[] state, RecurrentProblem p, ExecContext ctx) {
        float[] out = RecurrentProblem.swapLeadingAxes(state, p.dirs, p.batch, p.hidden, ctx.floats(state.length));
        ctx.recycle(state);
        return out;
    }

    /** Y from (seq, dirs, batch, hidden) to (batch, seq, dirs, hidden). */
    private static float[] toBatchMajor(RecurrentProblem p, ExecContext ctx) {
        float[] out = ctx.floats(p.y.length);
        for (int t = 0; t < p.seq; t++) {
            for (int d = 0; d < p.dirs; d++) {
                for (int b = 0; b < p.batch; b++) {
                    System.arraycopy(p.y, p.yOffset(t, d, b), out, ((b * p.seq + t) * p.dirs + d) * p.hidden, p.hidden);
                }
            }
        }
        ctx.recycle(p.y);
        return out;
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        int[] x = ctx.input(0).shape();
        int[] r = ctx.input(2).shape();
        if (x == null || x.length != 3) {
            return null;
        }
        int hidden = attrs.hiddenSize() > 0 ? attrs.hiddenSize() : (r != null && r.length == 3 ? r[2] : -1);
        int dirs = attrs.direction().count();
        boolean batchMajor = attrs.layout() == 1;
        int seq = batchMajor ? x[1] : x[0];
        int batch = batchMajor ? x[0] : x[1];
        ValueType[] out = new ValueType[1 + stateOutputs];
        out[0] = ValueType.of(DataType.FLOAT, batchMajor ? new int[] {batch, seq, dirs, hidden} : new int[] {seq, dirs, batch, hidden});
        for (int i = 1; i < out.length; i++) {
            out[i] = ValueType.of(DataType.FLOAT, batchMajor ? new int[] {batch, dirs, hidden} : new int[] {dirs, batch, hidden});
        }
        return out;
    }
}
