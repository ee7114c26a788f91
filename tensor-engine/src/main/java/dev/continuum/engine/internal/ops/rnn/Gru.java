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

    @Override
    int scratchSize(RecurrentProblem p) {
        return 6 * p.hidden;
    }

    /** Rbh is not added up front: it goes inside the reset product. */
    @Override
    float[] inputBias(RecurrentProblem p, int d) {
        int hidden = p.hidden;
        float[] bias = new float[3 * hidden];
        int wb = d * 6 * hidden;
        int rb = wb + 3 * hidden;
        for (int j = 0; j < 3 * hidden; j++) {
            bias[j] = p.b[wb + j] + (j < 2 * hidden ? p.b[rb + j] : 0f);
        }
        return bias;
    }

    @Override
    void runRow(RecurrentProblem p, int d, int row, float[] projected, float[] g) {
        int hidden = p.hidden;
        boolean reversed = attrs.direction().reversed(d);
        Activation f = attrs.activations()[d][0];
        Activation act = attrs.activations()[d][1];
        int rOff = d * 3 * hidden * hidden;
        int rhOff = rOff + 2 * hidden * hidden;
        int z = 0;
        int r = hidden;
        int hh = 2 * hidden;       // candidate at [2H, 3H)
        int h = 3 * hidden;        // hidden state at [3H, 4H)
        int tmp = 4 * hidden;      // reset product at [4H, 5H); [5H, 6H) is resetProduct's
        initialState(p, p.initialH, d, row, g, h);
        for (int s = 0; s < p.lens[row]; s++) {
            int t = p.time(s, row, reversed);
            System.arraycopy(projected, p.projectedOffset(t, row), g, 0, 3 * hidden);
            MatMul.addProductTransposed(g, h, hidden, p.r, rOff, 2 * hidden, g, 0);
            attrs.clip(g, 0, 2 * hidden);
            f.apply(g, 0, 2 * hidden);
            resetProduct(p, d, g, r, h, tmp, rhOff);
            for (int j = 0; j < hidden; j++) {
                g[hh + j] += g[tmp + j];
            }
            attrs.clip(g, hh, hidden);
            act.apply(g, hh, hidden);
            for (int j = 0; j < hidden; j++) {
                g[h + j] = (1f - g[z + j]) * g[hh + j] + g[z + j] * g[h + j];
            }
            System.arraycopy(g, h, p.y, p.yOffset(t, d, row), hidden);
        }
        System.arraycopy(g, h, p.yH, p.stateOffset(d, row), hidden);
    }

    /** Writes the reset gate's contribution to the candidate's pre-activation into g[tmp, tmp + H). */
    private void resetProduct(RecurrentProblem p, int d, float[] g, int r, int h, int tmp, int rhOff) {
        int hidden = p.hidden;
        int rbh = d * 6 * hidden + 5 * hidden;
        for (int j = 0; j < hidden; j++) {
            g[tmp + j] = p.b == null ? 0f : p.b[rbh + j];
        }
        if (linearBeforeReset) {
            MatMul.addProductTransposed(g, h, hidden, p.r, rhOff, hidden, g, tmp);
            for (int j = 0; j < hidden; j++) {
                g[tmp + j] *= g[r + j];
            }
            return;
        }
        int resetState = 5 * hidden; // r (.) H_{t-1} at [5H, 6H)
        for (int j = 0; j < hidden; j++) {
            g[resetState + j] = g[r + j] * g[h + j];
        }
        MatMul.addProductTransposed(g, resetState, hidden, p.r, rhOff, hidden, g, tmp);
    }
}
