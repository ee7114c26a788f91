package dev.continuum.engine.internal.ops.rnn;

import dev.continuum.engine.internal.gemm.PackedMatrix;
import dev.continuum.engine.internal.gemm.Sgemm;

/**
 * W, R and B of a recurrent op brought to the form the step loop wants: W of every direction packed
 * as one right-hand matrix (the input projection of all directions and time steps is one GEMM), R
 * transposed per direction (each step adds a state row times it), and the biases added to every
 * projected row summed once. Made once at load when the weights are constants, else per run.
 */
final class RecurrentWeights {
    final int dirs;
    final int hidden;
    final int inputSize;
    final int gates;
    final PackedMatrix w;      // op(B) = W^T: (input, dirs * gates * hidden)
    final float[] rt;          // (dirs, hidden, gates * hidden): R_d^T
    final float[] inputBias;   // (dirs, gates * hidden), or null when there is no B

    private RecurrentWeights(int dirs, int hidden, int inputSize, int gates, PackedMatrix w, float[] rt,
                             float[] inputBias) {
        this.dirs = dirs;
        this.hidden = hidden;
        this.inputSize = inputSize;
        this.gates = gates;
        this.w = w;
        this.rt = rt;
        this.inputBias = inputBias;
    }

    /**
     * @param w (dirs, gates * hidden, input)
     * @param r (dirs, gates * hidden, hidden)
     * @param b (dirs, 2 * gates * hidden), or null
     * @param keepLastRecurrentBias true for GRU, whose Rb of the candidate gate goes inside the reset
     *     product and so is left out of the summed input bias
     */
    static RecurrentWeights prepare(float[] w, float[] r, float[] b, int dirs, int gates, int hidden, int inputSize,
                                    boolean keepLastRecurrentBias) {
        int gh = gates * hidden;
        PackedMatrix packed = Sgemm.get().packB(true, inputSize, dirs * gh, w, 0, inputSize);
        float[] rt = new float[dirs * hidden * gh];
        for (int d = 0; d < dirs; d++) {
            int base = d * gh * hidden;
            for (int j = 0; j < gh; j++) {
                for (int kk = 0; kk < hidden; kk++) {
                    rt[base + kk * gh + j] = r[base + j * hidden + kk];
                }
            }
        }
        float[] bias = null;
        if (b != null) {
            bias = new float[dirs * gh];
            int recurrentEnd = keepLastRecurrentBias ? gh - hidden : gh;
            for (int d = 0; d < dirs; d++) {
                int wb = d * 2 * gh;
                for (int j = 0; j < gh; j++) {
                    bias[d * gh + j] = b[wb + j] + (j < recurrentEnd ? b[wb + gh + j] : 0f);
                }
            }
        }
        return new RecurrentWeights(dirs, hidden, inputSize, gates, packed, rt, bias);
    }

    /** Offset of R_d^T in {@link #rt}. */
    int rtOffset(int d) {
        return d * hidden * gates * hidden;
    }
}
