package dev.continuum.engine.internal.ops.math;

/**
 * Monomorphic float32 run loops for the four basic arithmetic functions, so the JIT sees a plain
 * {@code +} instead of a megamorphic call per element. Anything else takes the generic path.
 */
final class FloatRuns {
    private FloatRuns() {
    }

    /** True when {@code fn} has a dedicated loop here (then the run has been computed). */
    static boolean run(BinaryFn fn, float[] x, int i, int sa, float[] y, int j, int sb, float[] r, int o, int len) {
        if (!(fn instanceof Arith a)) {
            return false;
        }
        switch (a) {
            case ADD -> {
                for (int k = 0; k < len; k++, i += sa, j += sb) {
                    r[o + k] = x[i] + y[j];
                }
            }
            case SUB -> {
                for (int k = 0; k < len; k++, i += sa, j += sb) {
                    r[o + k] = x[i] - y[j];
                }
            }
            case MUL -> {
                for (int k = 0; k < len; k++, i += sa, j += sb) {
                    r[o + k] = x[i] * y[j];
                }
            }
            case DIV -> {
                for (int k = 0; k < len; k++, i += sa, j += sb) {
                    r[o + k] = x[i] / y[j];
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }
}
