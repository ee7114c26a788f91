package dev.continuum.engine.internal.ops.rnn;

import dev.continuum.engine.internal.Node;

/**
 * ONNX LSTM with gates in ONNX order i, o, f, c; optional peepholes P (order i, o, f) and
 * {@code input_forget}, which couples the forget gate to the input gate as {@code f = 1 - i}.
 */
final class Lstm extends RecurrentKernel {
    private static final int I = 0;
    private static final int O = 1;
    private static final int F = 2;
    private static final int C = 3;

    private final boolean inputForget;

    Lstm(Node node) {
        super(node, new Activation[] {Activation.SIGMOID, Activation.TANH, Activation.TANH}, 4, 2);
        long v = node.attributes().getInt("input_forget", 0);
        if (v != 0 && v != 1) {
            throw new IllegalArgumentException("attribute 'input_forget' must be 0 or 1, got " + v);
        }
        this.inputForget = v == 1;
    }

    @Override
    int scratchSize(RecurrentProblem p) {
        return 7 * p.hidden;
    }

    @Override
    void runRow(RecurrentProblem p, int d, int row, float[] projected, float[] g) {
        int hidden = p.hidden;
        boolean reversed = attrs.direction().reversed(d);
        Activation[] acts = attrs.activations()[d];
        int rOff = d * 4 * hidden * hidden;
        int h = 4 * hidden;        // hidden state at [4H, 5H), gates at [0, 4H)
        int c = 5 * hidden;        // cell state at [5H, 6H)
        int tmp = 6 * hidden;      // h(C_t) at [6H, 7H)
        initialState(p, p.initialH, d, row, g, h);
        initialState(p, p.initialC, d, row, g, c);
        for (int s = 0; s < p.lens[row]; s++) {
            int t = p.time(s, row, reversed);
            System.arraycopy(projected, p.projectedOffset(t, row), g, 0, 4 * hidden);
            MatMul.addProductTransposed(g, h, hidden, p.r, rOff, 4 * hidden, g, 0);
            peephole(p, d, I, g, c);
            peephole(p, d, F, g, c);
            gate(g, I * hidden, hidden, acts[0]);
            if (inputForget) {
                for (int j = 0; j < hidden; j++) {
                    g[F * hidden + j] = 1f - g[I * hidden + j];
                }
            } else {
                gate(g, F * hidden, hidden, acts[0]);
            }
            gate(g, C * hidden, hidden, acts[1]);
            for (int j = 0; j < hidden; j++) {
                g[c + j] = g[F * hidden + j] * g[c + j] + g[I * hidden + j] * g[C * hidden + j];
            }
            peephole(p, d, O, g, c);
            gate(g, O * hidden, hidden, acts[0]);
            System.arraycopy(g, c, g, tmp, hidden);
            acts[2].apply(g, tmp, hidden);
            for (int j = 0; j < hidden; j++) {
                g[h + j] = g[O * hidden + j] * g[tmp + j];
            }
            System.arraycopy(g, h, p.y, p.yOffset(t, d, row), hidden);
        }
        System.arraycopy(g, h, p.yH, p.stateOffset(d, row), hidden);
        System.arraycopy(g, c, p.yC, p.stateOffset(d, row), hidden);
    }

    private void gate(float[] g, int off, int n, Activation f) {
        attrs.clip(g, off, n);
        f.apply(g, off, n);
    }

    /** Adds P_gate (.) C to the pre-activation of {@code gate}; P is ordered i, o, f. */
    private static void peephole(RecurrentProblem p, int d, int gate, float[] g, int c) {
        if (p.peepholes == null) {
            return;
        }
        int hidden = p.hidden;
        int pOff = d * 3 * hidden + gate * hidden;
        for (int j = 0; j < hidden; j++) {
            g[gate * hidden + j] += p.peepholes[pOff + j] * g[c + j];
        }
    }
}
