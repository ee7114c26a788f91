package dev.continuum.engine.internal.ops.nn;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.Shapes;
import java.util.Arrays;

/** Shape helpers and dtype conversions shared by the pooling kernels. */
final class Pools {
    private Pools() {
    }

    static ConvGeometry geometry(WindowAttributes window, int[] x) {
        if (x.length < 3) {
            throw new IllegalArgumentException("input X must have rank >= 3 (N, C, D1, ...), got " + Shapes.str(x));
        }
        return window.resolve(Arrays.copyOfRange(x, 2, x.length), window.kernelShape);
    }

    /** (N, C, out...). */
    static int[] outShape(int[] x, ConvGeometry g) {
        int[] s = x.clone();
        System.arraycopy(g.out(), 0, s, 2, g.rank());
        return s;
    }

    /** The output shape for a partially known input shape, or null when its rank is unknown. */
    static int[] inferShape(WindowAttributes window, int[] x) {
        if (x == null) {
            return null;
        }
        return outShape(x, geometry(window, x));
    }

    /** int8 or uint8 data as floats (exact). */
    static float[] toFloats(Tensor x) {
        byte[] b = x.byteData();
        boolean unsigned = x.dataType() == DataType.UINT8;
        float[] f = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            f[i] = unsigned ? b[i] & 0xFF : b[i];
        }
        return f;
    }

    /** Floats holding int8 or uint8 values back as bytes. */
    static byte[] toBytes(float[] f, DataType t) {
        byte[] b = new byte[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = (byte) (int) f[i];
        }
        return b;
    }
}
