package dev.continuum.engine.internal.ops.quant;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;

/** The integer element types quantized tensors use here, with their saturation ranges. */
enum QuantType {
    UINT8(DataType.UINT8, 0, 255),
    INT8(DataType.INT8, -128, 127),
    UINT16(DataType.UINT16, 0, 65535),
    INT16(DataType.INT16, -32768, 32767),
    INT32(DataType.INT32, Integer.MIN_VALUE, Integer.MAX_VALUE);

    final DataType dataType;
    final int min;
    final int max;

    QuantType(DataType dataType, int min, int max) {
        this.dataType = dataType;
        this.min = min;
        this.max = max;
    }

    /** The quantized type of {@code t}, or an {@link UnsupportedOperationException} naming the op. */
    static QuantType of(DataType t, String op) {
        for (QuantType q : values()) {
            if (q.dataType == t) {
                return q;
            }
        }
        throw new UnsupportedOperationException(op + " does not support " + t + " quantized data");
    }

    /** The quantized type of an ONNX data type number, e.g. an {@code output_dtype} attribute. */
    static QuantType ofOnnx(long code, String op) {
        for (QuantType q : values()) {
            if (q.dataType.onnxCode() == code) {
                return q;
            }
        }
        throw new UnsupportedOperationException(op + " does not support output_dtype "
                + DataType.onnxName((int) code));
    }

    /** The elements of a tensor of this type as ints (unsigned types read unsigned). */
    static int[] read(Tensor t) {
        int n = t.size();
        int[] out = new int[n];
        switch (t.dataType()) {
            case UINT8 -> {
                byte[] b = t.byteData();
                for (int i = 0; i < n; i++) {
                    out[i] = b[i] & 0xFF;
                }
            }
            case INT8 -> {
                byte[] b = t.byteData();
                for (int i = 0; i < n; i++) {
                    out[i] = b[i];
                }
            }
            case UINT16 -> {
                short[] s = t.shortData();
                for (int i = 0; i < n; i++) {
                    out[i] = s[i] & 0xFFFF;
                }
            }
            case INT16 -> {
                short[] s = t.shortData();
                for (int i = 0; i < n; i++) {
                    out[i] = s[i];
                }
            }
            case INT32 -> System.arraycopy(t.intData(), 0, out, 0, n);
            default -> throw new UnsupportedOperationException("quantized data of type " + t.dataType() + " is not supported");
        }
        return out;
    }

    /** Rounds half to even and saturates to this type's range. */
    int saturate(double v) {
        double r = Math.rint(v);
        if (!(r >= min)) {
            return Double.isNaN(r) ? 0 : min;
        }
        return r > max ? max : (int) r;
    }

    /** A tensor of this type from values already inside its range. */
    Tensor tensor(int[] shape, int[] values) {
        Object data = Tensor.newArray(dataType, values.length);
        switch (this) {
            case UINT8, INT8 -> {
                byte[] b = (byte[]) data;
                for (int i = 0; i < values.length; i++) {
                    b[i] = (byte) values[i];
                }
            }
            case UINT16, INT16 -> {
                short[] s = (short[]) data;
                for (int i = 0; i < values.length; i++) {
                    s[i] = (short) values[i];
                }
            }
            case INT32 -> System.arraycopy(values, 0, data, 0, values.length);
        }
        return Tensor.of(dataType, shape, data);
    }
}
