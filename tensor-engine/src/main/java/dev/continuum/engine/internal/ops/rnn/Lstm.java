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

    private Lstm(Lstm from, RecurrentWeights w) {
        super(from, w);
        this.inputForget = from.inputForget;
    }

    @Override
    RecurrentKernel withWeights(RecurrentWeights w) {
        return new Lstm(this, w);
    }

    @Override
    int scratchSize(RecurrentProblem p) {
        return 7 * p.hidden;
    }

    @Override
    void runRow(RecurrentProblem p, RecurrentWeights w, int d, int row, float[] projected, float[] g, int at) {
        int hidden = p.hidden;
        boolean reversed = attrs.direction().reversed(d);
        Activation[] acts = attrs.activations()[d];
        RnnMath math = RnnMath.get();
        int rtOff = w.rtOffset(d);
        int gi = at + I * hidden;      // gates at [at, at + 4H)
        int go = at + O * hidden;
        int gf = at + F * hidden;
        int gc = at + C * hidden;
        int h = at + 4 * hidden;       // hidden state
        int c = at + 5 * hidden;       // cell state
        int tmp = at + 6 * hidden;     // h(C_t)
        initialState(p, p.initialH, d, row, g, h);
        initialState(p, p.initialC, d, row, g, c);
        for (int s = 0; s < p.lens[row]; s++) {
            int t = p.time(s, row, reversed);
            System.arraycopy(projected, p.projectedOffset(t, row, d), g, at, 4 * hidden);
            math.gemvAdd(g, h, hidden, w.rt, rtOff, 4 * hidden, 4 * hidden, g, at);
            peephole(p, d, I, g, gi, c);
            peephole(p, d, F, g, gf, c);
            gate(g, gi, hidden, acts[0]);
            if (inputForget) {
                for (int j = 0; j < hidden; j++) {
                    g[gf + j] = 1f - g[gi + j];
                }
            } else {
                gate(g, gf, hidden, acts[0]);
            }
            gate(g, gc, hidden, acts[1]);
            for (int j = 0; j < hidden; j++) {
                g[c + j] = g[gf + j] * g[c + j] + g[gi + j] * g[gc + j];
            }
            peephole(p, d, O, g, go, c);
            gate(g, go, hidden, acts[0]);
            System.arraycopy(g, c, g, tmp, hidden);
            acts[2].apply(g, tmp, hidden);
            for (int j = 0; j < hidden; j++) {
                g[h + j] = g[go + j] * g[tmp + j];
            }
            System.arraycopy(g, h, p.y, p.yOffset(t, d, row), hidden);
        }
        System.arraycopy(g, h, p.yH, p.stateOffset(d, row), hidden);
        System.arraycopy(g, c, p.yC, p.stateOffset(d, row), hidden);
    }

    /** Adds P_gate (.) C to the pre-activation of {@code gate} at {@code g[at, at + H)}; P is ordered i, o, f. */
    private static void peephole(RecurrentProblem p, int d, int gate, float[] g, int at, int c) {
        if (p.peepholes == null) {
            return;
        }
        int hidden = p.hidden;
        int pOff = d * 3 * hidden + gate * hidden;
        for (int j = 0; j < hidden; j++) {
            g[at + j] += p.peepholes[pOff + j] * g[c + j];
        }
    }
}
