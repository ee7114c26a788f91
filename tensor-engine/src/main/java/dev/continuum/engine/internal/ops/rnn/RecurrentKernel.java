package dev.continuum.engine.internal.ops.rnn;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/**
 * What RNN, GRU and LSTM share: reading the inputs, projecting the whole input sequence through W
 * in one product per direction, running each (direction, batch row) pair on its own (they are
 * independent, so they run in parallel), and laying out Y, Y_h and Y_c.
 */
abstract class RecurrentKernel implements Kernel {
    final RecurrentAttributes attrs;
    private final int gates;
    private final int stateOutputs;

    RecurrentKernel(Node node, Activation[] defaultActivations, int gates, int stateOutputs) {
        this.attrs = RecurrentAttributes.read(node, defaultActivations);
        this.gates = gates;
        this.stateOutputs = stateOutputs;
    }

    /** Runs one batch row of direction {@code d} over its sequence, writing Y and the final states. */
    abstract void runRow(RecurrentProblem p, int d, int row, float[] projected, float[] scratch);

    /** Floats of scratch one {@link #runRow} call needs. */
    abstract int scratchSize(RecurrentProblem p);

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        RecurrentProblem p = new RecurrentProblem(inputs, attrs, gates);
        float[][] projected = new float[p.dirs][];
        for (int d = 0; d < p.dirs; d++) {
            projected[d] = project(p, d);
        }
        ctx.parallelFor(p.dirs * p.batch, 1, (from, to) -> {
            float[] scratch = new float[scratchSize(p)];
            for (int i = from; i < to; i++) {
                runRow(p, i / p.batch, i % p.batch, projected[i / p.batch], scratch);
            }
        });
        return outputs(p);
    }

    /** X * W_d^T plus {@link #inputBias}: (seq, batch, gates * hidden). */
    private float[] project(RecurrentProblem p, int d) {
        int width = gates * p.hidden;
        int rows = p.seq * p.batch;
        float[] out = new float[rows * width];
        MatMul.multiplyTransposed(p.x, 0, rows, p.inputSize, p.w, d * width * p.inputSize, width, out, 0);
        if (p.b != null) {
            float[] bias = inputBias(p, d);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < width; j++) {
                    out[i * width + j] += bias[j];
                }
            }
        }
        return out;
    }

    /** The bias added to every projected row; Wb + Rb unless an op keeps part of Rb for later. */
    float[] inputBias(RecurrentProblem p, int d) {
        int width = gates * p.hidden;
        float[] bias = new float[width];
        int off = d * 2 * width;
        for (int j = 0; j < width; j++) {
            bias[j] = p.b[off + j] + p.b[off + width + j];
        }
        return bias;
    }

    /** Copies the initial state of (d, row) into {@code dst}, or zeros when there is none. */
    static void initialState(RecurrentProblem p, float[] initial, int d, int row, float[] dst, int dstOff) {
        if (initial == null) {
            java.util.Arrays.fill(dst, dstOff, dstOff + p.hidden, 0f);
        } else {
            System.arraycopy(initial, p.stateOffset(d, row), dst, dstOff, p.hidden);
        }
    }

    private Tensor[] outputs(RecurrentProblem p) {
        boolean batchMajor = attrs.layout() == 1;
        Tensor[] out = new Tensor[1 + stateOutputs];
        int[] yShape = batchMajor ? new int[] {p.batch, p.seq, p.dirs, p.hidden} : new int[] {p.seq, p.dirs, p.batch, p.hidden};
        out[0] = Tensor.of(DataType.FLOAT, yShape, batchMajor ? toBatchMajor(p) : p.y);
        int[] stateShape = batchMajor ? new int[] {p.batch, p.dirs, p.hidden} : new int[] {p.dirs, p.batch, p.hidden};
        out[1] = Tensor.of(DataType.FLOAT, stateShape,
                batchMajor ? RecurrentProblem.swapLeadingAxes(p.yH, p.dirs, p.batch, p.hidden) : p.yH);
        if (stateOutputs > 1) {
            out[2] = Tensor.of(DataType.FLOAT, stateShape,
                    batchMajor ? RecurrentProblem.swapLeadingAxes(p.yC, p.dirs, p.batch, p.hidden) : p.yC);
        }
        return out;
    }

    /** Y from (seq, dirs, batch, hidden) to (batch, seq, dirs, hidden). */
    private static float[] toBatchMajor(RecurrentProblem p) {
        float[] out = new float[p.y.length];
        for (int t = 0; t < p.seq; t++) {
            for (int d = 0; d < p.dirs; d++) {
                for (int b = 0; b < p.batch; b++) {
                    System.arraycopy(p.y, p.yOffset(t, d, b), out, ((b * p.seq + t) * p.dirs + d) * p.hidden, p.hidden);
                }
            }
        }
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
