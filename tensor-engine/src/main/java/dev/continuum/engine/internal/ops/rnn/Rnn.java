package dev.continuum.engine.internal.ops.rnn;

import dev.continuum.engine.internal.Node;

/** ONNX RNN: {@code H_t = f(X_t W^T + H_{t-1} R^T + Wb + Rb)}, f defaulting to Tanh. */
final class Rnn extends RecurrentKernel {

    Rnn(Node node) {
        super(node, new Activation[] {Activation.TANH}, 1, 1);
    }

    @Override
    int scratchSize(RecurrentProblem p) {
        return 2 * p.hidden;
    }

    @Override
    void runRow(RecurrentProblem p, int d, int row, float[] projected, float[] scratch) {
        int hidden = p.hidden;
        boolean reversed = attrs.direction().reversed(d);
        Activation f = attrs.activations()[d][0];
        int rOff = d * hidden * hidden;
        float[] h = scratch;      // (hidden) at 0
        int pre = hidden;         // (hidden) pre-activation at [hidden, 2 * hidden)
        initialState(p, p.initialH, d, row, h, 0);
        for (int s = 0; s < p.lens[row]; s++) {
            int t = p.time(s, row, reversed);
            System.arraycopy(projected, p.projectedOffset(t, row), scratch, pre, hidden);
            MatMul.addProductTransposed(h, 0, hidden, p.r, rOff, hidden, scratch, pre);
            attrs.clip(scratch, pre, hidden);
            f.apply(scratch, pre, hidden);
            System.arraycopy(scratch, pre, h, 0, hidden);
            System.arraycopy(h, 0, p.y, p.yOffset(t, d, row), hidden);
        }
        System.arraycopy(h, 0, p.yH, p.stateOffset(d, row), hidden);
    }
}
