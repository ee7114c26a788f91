package dev.continuum.engine.internal.ops.rnn;

import dev.continuum.engine.internal.Node;

/**
 * ONNX GRU with gates in ONNX order z, r, h. With {@code linear_before_reset} the reset gate
 * multiplies {@code H_{t-1} Rh^T + Rbh}; without it, it multiplies {@code H_{t-1}} before Rh.
 */
final class Gru extends RecurrentKernel {
    private final boolean linearBeforeReset;

    Gru(Node node) {
        super(node, new Activation[] {Activation.SIGMOID, Activation.TANH}, 3, 1);
        this.linearBeforeReset = node.attributes().getInt("linear_before_reset", 0) != 0;
    }

    private Gru(Gru from, RecurrentWeights w) {
        super(from, w);
        this.linearBeforeReset = from.linearBeforeReset;
    }

    @Override
    RecurrentKernel withWeights(RecurrentWeights w) {
        return new Gru(this, w);
    }

    /** Rbh is not added up front: it goes inside the reset product. */
    @Override
    boolean keepsCandidateRecurrentBias() {
        return true;
    }

    @Override
    int scratchSize(RecurrentProblem p) {
        return 6 * p.hidden;
    }

    @Override
    void runRow(RecurrentProblem p, RecurrentWeights w, int d, int row, float[] projected, float[] g, int at) {
        int hidden = p.hidden;
        boolean reversed = attrs.direction().reversed(d);
        Activation f = attrs.activations()[d][0];
        Activation act = attrs.activations()[d][1];
        RnnMath math = RnnMath.get();
        int rtOff = w.rtOffset(d);
        int ld = 3 * hidden;
        int z = at;
        int r = at + hidden;
        int hh = at + 2 * hidden;      // candidate at [2H, 3H)
        int h = at + 3 * hidden;       // hidden state at [3H, 4H)
        int tmp = at + 4 * hidden;     // reset product at [4H, 5H); [5H, 6H) is resetProduct's
        initialState(p, p.initialH, d, row, g, h);
        for (int s = 0; s < p.lens[row]; s++) {
            int t = p.time(s, row, reversed);
            System.arraycopy(projected, p.projectedOffset(t, row, d), g, at, 3 * hidden);
            math.gemvAdd(g, h, hidden, w.rt, rtOff, ld, 2 * hidden, g, z);
            gate(g, z, 2 * hidden, f);
            resetProduct(p, w, d, g, r, h, tmp, rtOff + 2 * hidden);
            for (int j = 0; j < hidden; j++) {
                g[hh + j] += g[tmp + j];
            }
            gate(g, hh, hidden, act);
            for (int j = 0; j < hidden; j++) {
                g[h + j] = (1f - g[z + j]) * g[hh + j] + g[z + j] * g[h + j];
            }
            System.arraycopy(g, h, p.y, p.yOffset(t, d, row), hidden);
        }
        System.arraycopy(g, h, p.yH, p.stateOffset(d, row), hidden);
    }

    /**
     * Writes the reset gate's contribution to the candidate's pre-activation into g[tmp, tmp + H);
     * {@code rhOff} is where Rh^T's columns start in {@code w.rt} (row stride 3H).
     */
    private void resetProduct(RecurrentProblem p, RecurrentWeights w, int d, float[] g, int r, int h, int tmp,
                              int rhOff) {
        int hidden = p.hidden;
        RnnMath math = RnnMath.get();
        int rbh = d * 6 * hidden + 5 * hidden;
        for (int j = 0; j < hidden; j++) {
            g[tmp + j] = p.b == null ? 0f : p.b[rbh + j];
        }
        if (linearBeforeReset) {
            math.gemvAdd(g, h, hidden, w.rt, rhOff, 3 * hidden, hidden, g, tmp);
            for (int j = 0; j < hidden; j++) {
                g[tmp + j] *= g[r + j];
            }
            return;
        }
        int resetState = tmp + hidden; // r (.) H_{t-1}
        for (int j = 0; j < hidden; j++) {
            g[resetState + j] = g[r + j] * g[h + j];
        }
        math.gemvAdd(g, resetState, hidden, w.rt, rhOff, 3 * hidden, hidden, g, tmp);
    }
}
