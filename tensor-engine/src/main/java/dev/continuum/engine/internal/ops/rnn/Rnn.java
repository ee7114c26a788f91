package dev.continuum.engine.internal.ops.rnn;

import dev.continuum.engine.internal.Node;

/** ONNX RNN: {@code H_t = f(X_t W^T + H_{t-1} R^T + Wb + Rb)}, f defaulting to Tanh. */
final class Rnn extends RecurrentKernel {

    Rnn(Node node) {
        super(node, new Activation[] {Activation.TANH}, 1, 1);
    }

    private Rnn(Rnn from, RecurrentWeights w) {
        super(from, w);
    }

    @Override
    RecurrentKernel withWeights(RecurrentWeights w) {
        return new Rnn(this, w);
    }

    @Override
    int scratchSize(RecurrentProblem p) {
        return 2 * p.hidden;
    }

    @Override
    void runRow(RecurrentProblem p, RecurrentWeights w, int d, int row, float[] projected, float[] g, int at) {
        int hidden = p.hidden;
        boolean reversed = attrs.direction().reversed(d);
        Activation f = attrs.activations()[d][0];
        RnnMath math = RnnMath.get();
        int rtOff = w.rtOffset(d);
        int h = at;               // (hidden) state
        int pre = at + hidden;    // (hidden) pre-activation
        initialState(p, p.initialH, d, row, g, h);
        for (int s = 0; s < p.lens[row]; s++) {
            int t = p.time(s, row, reversed);
            System.arraycopy(projected, p.projectedOffset(t, row, d), g, pre, hidden);
            math.gemvAdd(g, h, hidden, w.rt, rtOff, hidden, hidden, g, pre);
            gate(g, pre, hidden, f);
            System.arraycopy(g, pre, g, h, hidden);
            System.arraycopy(g, h, p.y, p.yOffset(t, d, row), hidden);
        }
        System.arraycopy(g, h, p.yH, p.stateOffset(d, row), hidden);
    }
}
