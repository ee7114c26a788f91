package dev.continuum.engine.internal.ops.rnn;

import dev.continuum.engine.internal.gemm.Simd;

/**
 * The inner loops of a recurrent step: the gate activations and the product of one state row with
 * the transposed recurrence weights. {@link #get()} is the Vector API implementation when
 * {@link Simd#enabled()}, else {@link #scalar()}, which is also the reference of the differential test.
 */
abstract class RnnMath {
    private static final RnnMath BEST = select();

    static RnnMath get() {
        return BEST;
    }

    static RnnMath scalar() {
        return ScalarRnnMath.INSTANCE;
    }

    private static RnnMath select() {
        if (!Simd.enabled()) {
            return ScalarRnnMath.INSTANCE;
        }
        try {
            return (RnnMath) Class.forName("dev.continuum.engine.internal.ops.rnn.VectorRnnMath")
                    .getDeclaredField("INSTANCE").get(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return ScalarRnnMath.INSTANCE;
        }
    }

    /** {@code v[off, off + n) = 1 / (1 + exp(-v))} in place. */
    abstract void sigmoid(float[] v, int off, int n);

    /** {@code v[off, off + n) = tanh(v)} in place. */
    abstract void tanh(float[] v, int off, int n);

    /**
     * {@code out[outOff + j] += sum_kk x[xOff + kk] * b[bOff + kk * ldb + j]} for {@code j < n}: a row
     * vector (k) times a row-major (k, n) block with row stride {@code ldb}.
     */
    abstract void gemvAdd(float[] x, int xOff, int k, float[] b, int bOff, int ldb, int n, float[] out, int outOff);

    /** The portable implementation: double-precision exp and tanh rounded to float. */
    static final class ScalarRnnMath extends RnnMath {
        static final ScalarRnnMath INSTANCE = new ScalarRnnMath();

        @Override
        void sigmoid(float[] v, int off, int n) {
            for (int i = off; i < off + n; i++) {
                v[i] = sigmoid(v[i]);
            }
        }

        static float sigmoid(float x) {
            return x >= 0 ? (float) (1.0 / (1.0 + Math.exp(-x))) : (float) (Math.exp(x) / (1.0 + Math.exp(x)));
        }

        @Override
        void tanh(float[] v, int off, int n) {
            for (int i = off; i < off + n; i++) {
                v[i] = (float) Math.tanh(v[i]);
            }
        }

        @Override
        void gemvAdd(float[] x, int xOff, int k, float[] b, int bOff, int ldb, int n, float[] out, int outOff) {
            for (int kk = 0; kk < k; kk++) {
                float xv = x[xOff + kk];
                int row = bOff + kk * ldb;
                for (int j = 0; j < n; j++) {
                    out[outOff + j] += xv * b[row + j];
                }
            }
        }
    }
}
