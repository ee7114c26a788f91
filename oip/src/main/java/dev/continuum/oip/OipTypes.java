package dev.continuum.oip;

import dev.continuum.engine.DataType;
import dev.continuum.engine.TensorInfo;
import java.util.Arrays;
import java.util.Map;

/** Open Inference Protocol datatype names and the engine's {@link DataType}s, both ways. */
public final class OipTypes {
    private static final Map<String, DataType> BY_NAME = Map.ofEntries(
            Map.entry("BOOL", DataType.BOOL), Map.entry("UINT8", DataType.UINT8), Map.entry("UINT16", DataType.UINT16),
            Map.entry("UINT32", DataType.UINT32), Map.entry("UINT64", DataType.UINT64), Map.entry("INT8", DataType.INT8),
            Map.entry("INT16", DataType.INT16), Map.entry("INT32", DataType.INT32), Map.entry("INT64", DataType.INT64),
            Map.entry("FP16", DataType.FLOAT16), Map.entry("FP32", DataType.FLOAT), Map.entry("FP64", DataType.DOUBLE),
            Map.entry("BF16", DataType.BFLOAT16));
    static final String NAMES = "BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BF16";
    /** The OIP platform name of an ONNX model. */
    public static final String PLATFORM_ONNX = "onnx_onnxv1";
    /** The metadata shape of a tensor whose rank the model does not declare: one dynamic dimension. */
    private static final long[] UNKNOWN_RANK = {-1};

    private OipTypes() {
    }

    public static String name(DataType t) {
        return switch (t) {
            case BOOL -> "BOOL";
            case UINT8 -> "UINT8";
            case UINT16 -> "UINT16";
            case UINT32 -> "UINT32";
            case UINT64 -> "UINT64";
            case INT8 -> "INT8";
            case INT16 -> "INT16";
            case INT32 -> "INT32";
            case INT64 -> "INT64";
            case FLOAT16 -> "FP16";
            case FLOAT -> "FP32";
            case DOUBLE -> "FP64";
            case BFLOAT16 -> "BF16";
        };
    }

    /** @throws OipException (400) naming the input when the name is not an OIP datatype the engine has */
    public static DataType parse(String input, String name) {
        DataType t = name == null ? null : BY_NAME.get(name);
        if (t == null) {
            throw OipException.badRequest("input '" + input + "': unknown datatype '" + name + "'; expected one of "
                    + NAMES);
        }
        return t;
    }

    /**
     * The shape metadata reports for a declared tensor: dynamic dimensions as -1 (the OIP convention
     * for a variable-size dimension) and {@code [-1]} when even the rank is unknown.
     */
    public static long[] metadataShape(TensorInfo info) {
        int[] shape = info.shape();
        return shape == null ? UNKNOWN_RANK.clone() : toLongShape(shape);
    }

    /** Element count of a shape, checking each dimension. */
    public static int elementCount(String input, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw OipException.badRequest("input '" + input + "': shape " + Arrays.toString(shape)
                        + " has a negative or too large dimension");
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw OipException.badRequest("input '" + input + "': shape " + Arrays.toString(shape) + " is too large");
            }
        }
        return (int) n;
    }

    public static int[] toIntShape(long[] shape) {
        int[] s = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            s[i] = (int) shape[i];
        }
        return s;
    }

    public static long[] toLongShape(int[] shape) {
        long[] s = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            s[i] = shape[i] < 0 ? -1 : shape[i];
        }
        return s;
    }
}
