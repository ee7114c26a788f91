package dev.continuum.engine.internal.ops.nn;

/** Loops shared by the normalisation kernels. */
final class Norms {
    private Norms() {
    }

    /** y[off:off+len] = x[off:off+len] * mul + add. */
    static void affine(float[] x, float[] y, int off, int len, double mul, double add) {
        for (int i = off, end = off + len; i < end; i++) {
            y[i] = (float) (x[i] * mul + add);
        }
    }

    static void affine(double[] x, double[] y, int off, int len, double mul, double add) {
        for (int i = off, end = off + len; i < end; i++) {
            y[i] = x[i] * mul + add;
        }
    }

    /** Mean and variance (population) of x[off:off+len] as {mean, var}; NaN for len 0. */
    static void moments(float[] x, int off, int len, double[] out) {
        double mean = 0;
        for (int i = off, end = off + len; i < end; i++) {
            mean += x[i];
        }
        mean /= len;
        double var = 0;
        for (int i = off, end = off + len; i < end; i++) {
            double d = x[i] - mean;
            var += d * d;
        }
        out[0] = mean;
        out[1] = var / len;
    }

    static void moments(double[] x, int off, int len, double[] out) {
        double mean = 0;
        for (int i = off, end = off + len; i < end; i++) {
            mean += x[i];
        }
        mean /= len;
        double var = 0;
        for (int i = off, end = off + len; i < end; i++) {
            double d = x[i] - mean;
            var += d * d;
        }
        out[0] = mean;
        out[1] = var / len;
    }
}
