package dev.continuum.engine.internal.ops.quant;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Float16;
import dev.continuum.engine.Tensor;

/** Reading the real-valued side of quantization (float32, float16, bfloat16) as floats, and back. */
final class FloatData {
    private FloatData() {
    }

    static float[] read(Tensor t, String op, String what) {
        switch (t.dataType()) {
            case FLOAT:
                return t.floatData();
            case FLOAT16:
            case BFLOAT16: {
                short[] s = t.shortData();
                float[] f = new float[s.length];
                boolean half = t.dataType() == DataType.FLOAT16;
                for (int i = 0; i < s.length; i++) {
                    f[i] = half ? Float16.toFloat(s[i]) : Float16.bfloat16ToFloat(s[i]);
                }
                return f;
            }
            default:
                throw new UnsupportedOperationException(op + " does not support " + t.dataType() + " " + what);
        }
    }

    /** A tensor of a real type (float32, float16 or bfloat16) holding {@code v}. */
    static Tensor tensor(DataType type, int[] shape, float[] v) {
        switch (type) {
            case FLOAT:
                return Tensor.of(type, shape, v);
            case FLOAT16:
            case BFLOAT16: {
                short[] s = new short[v.length];
                for (int i = 0; i < v.length; i++) {
                    s[i] = type == DataType.FLOAT16 ? Float16.fromFloat(v[i]) : Float16.floatToBfloat16(v[i]);
                }
                return Tensor.of(type, shape, s);
            }
            default:
                throw new UnsupportedOperationException("output type " + type + " is not supported");
        }
    }
}
