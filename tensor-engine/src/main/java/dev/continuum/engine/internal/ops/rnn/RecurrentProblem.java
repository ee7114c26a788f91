package dev.continuum.engine.internal.ops.rnn;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Shapes;
import java.util.Arrays;

/**
 * The inputs of one RNN, GRU or LSTM run, checked and brought to sequence-major layout, and the
 * output buffers the directions fill.
 */
final class RecurrentProblem {
    final int seq;
    final int batch;
    final int inputSize;
    final int hidden;
    final int dirs;
    final int gates;
    final float[] x;         // (seq, batch, input)
    final float[] w;         // (dirs, gates * hidden, input)
    final float[] r;         // (dirs, gates * hidden, hidden)
    final float[] b;         // (dirs, 2 * gates * hidden), or null
    final int[] lens;        // (batch)
    final float[] initialH;  // (dirs, batch, hidden), or null for zeros
    final float[] initialC;  // (dirs, batch, hidden), or null for zeros (LSTM)
    final float[] peepholes; // (dirs, 3 * hidden), or null (LSTM)
    final float[] y;         // (seq, dirs, batch, hidden)
    final float[] yH;        // (dirs, batch, hidden)
    final float[] yC;        // (dirs, batch, hidden), or null when gates != 4 (only LSTM has Y_c)
    private final boolean xCopied;

    /** Checks the inputs; Y, Y_h, Y_c and a batch-major X's sequence-major copy come from {@code ctx}. */
    RecurrentProblem(Tensor[] in, RecurrentAttributes attrs, int gates, ExecContext ctx) {
        Tensor xt = required(in, 0, "X");
        Tensor wt = required(in, 1, "W");
        Tensor rt = required(in, 2, "R");
        for (int i = 0; i < in.length; i++) {
            if (i != 4 && in[i] != null && in[i].dataType() != DataType.FLOAT) {
                throw new UnsupportedOperationException("recurrent ops do not support " + in[i].dataType() + " input");
            }
        }
        this.gates = gates;
        this.dirs = attrs.direction().count();
        if (xt.rank() != 3) {
            throw new IllegalArgumentException("input 'X' must have rank 3, got shape " + Shapes.str(xt.dims()));
        }
        boolean batchMajor = attrs.layout() == 1;
        this.seq = batchMajor ? xt.dim(1) : xt.dim(0);
        this.batch = batchMajor ? xt.dim(0) : xt.dim(1);
        this.inputSize = xt.dim(2);
        this.hidden = attrs.hiddenSize() > 0 ? attrs.hiddenSize() : (rt.rank() == 3 ? rt.dim(2) : -1);
        expectShape(wt, "W", dirs, gates * hidden, inputSize);
        expectShape(rt, "R", dirs, gates * hidden, hidden);
        this.xCopied = batchMajor;
        this.x = batchMajor ? swapLeadingAxes(xt.floatData(), batch, seq, inputSize, ctx.floats(xt.size()))
                : xt.floatData();
        this.w = wt.floatData();
        this.r = rt.floatData();
        Tensor bt = at(in, 3);
        if (bt != null) {
            expectShape(bt, "B", dirs, 2 * gates * hidden);
        }
        this.b = bt == null ? null : bt.floatData();
        this.lens = sequenceLengths(at(in, 4));
        this.initialH = state(at(in, 5), "initial_h", batchMajor);
        this.initialC = state(at(in, 6), "initial_c", batchMajor);
        Tensor pt = at(in, 7);
        if (pt != null) {
            expectShape(pt, "P", dirs, 3 * hidden);
        }
        this.peepholes = pt == null ? null : pt.floatData();
        boolean ragged = false;
        for (int len : lens) {
            ragged |= len < seq;
        }
        int ySize = seq * dirs * batch * hidden;
        // steps past a row's length stay zero; every other element of Y is written
        this.y = ragged ? ctx.floatsZeroed(ySize) : ctx.floats(ySize);
        this.yH = ctx.floats(dirs * batch * hidden);
        this.yC = gates == 4 ? ctx.floats(dirs * batch * hidden) : null;
    }

    /** Hands back the sequence-major copy of a batch-major X once the projection has read it. */
    void recycleInputCopies(ExecContext ctx) {
        if (xCopied) {
            ctx.recycle(x);
        }
    }

    private static Tensor at(Tensor[] in, int i) {
        return i < in.length ? in[i] : null;
    }

    private static Tensor required(Tensor[] in, int i, String name) {
        Tensor t = at(in, i);
        if (t == null) {
            throw new IllegalArgumentException("required input '" + name + "' is missing");
        }
        return t;
    }

    private static void expectShape(Tensor t, String name, int... expected) {
        if (!Arrays.equals(t.dims(), expected)) {
            throw new IllegalArgumentException("input '" + name + "' has shape " + Shapes.str(t.dims())
                    + ", expected " + Shapes.str(expected));
        }
    }

    private int[] sequenceLengths(Tensor t) {
        int[] l = new int[batch];
        if (t == null) {
            Arrays.fill(l, seq);
            return l;
        }
        expectShape(t, "sequence_lens", batch);
        int[] v = Shapes.toInts(t, "input 'sequence_lens'");
        for (int i = 0; i < batch; i++) {
            if (v[i] < 0 || v[i] > seq) {
                throw new IllegalArgumentException("input 'sequence_lens' value " + v[i] + " is outside [0, " + seq + "]");
            }
            l[i] = v[i];
        }
        return l;
    }

    private float[] state(Tensor t, String name, boolean batchMajor) {
        if (t == null) {
            return null;
        }
        if (batchMajor) {
            expectShape(t, name, batch, dirs, hidden);
            return swapLeadingAxes(t.floatData(), batch, dirs, hidden, new float[t.size()]);
        }
        expectShape(t, name, dirs, batch, hidden);
        return t.floatData();
    }

    /** (a, b, inner) to (b, a, inner), into {@code out}. */
    static float[] swapLeadingAxes(float[] v, int a, int b, int inner, float[] out) {
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                System.arraycopy(v, (i * b + j) * inner, out, (j * a + i) * inner, inner);
            }
        }
        return out;
    }

    /** Offset of (d, batchRow) in a (dirs, batch, hidden) state array. */
    int stateOffset(int d, int batchRow) {
        return (d * batch + batchRow) * hidden;
    }

    /** Offset of Y[t, d, batchRow, :]. */
    int yOffset(int t, int d, int batchRow) {
        return ((t * dirs + d) * batch + batchRow) * hidden;
    }

    /** Offset of the projected inputs of (t, batchRow, d) in a (seq, batch, dirs, gates * hidden) array. */
    int projectedOffset(int t, int batchRow, int d) {
        return ((t * batch + batchRow) * dirs + d) * gates * hidden;
    }

    /** The time index of step {@code s} of a batch row, counting from its own end when reversed. */
    int time(int s, int batchRow, boolean reversed) {
        return reversed ? lens[batchRow] - 1 - s : s;
    }
}
