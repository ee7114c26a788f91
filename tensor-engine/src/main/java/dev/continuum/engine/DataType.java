package dev.continuum.engine;

/**
 * Element types of tensors, numbered as ONNX's {@code TensorProto.DataType}.
 *
 * <p>Each type has one backing primitive array kind: {@code float[]} for FLOAT, {@code double[]}
 * for DOUBLE, {@code long[]} for INT64 and UINT64, {@code int[]} for INT32 and UINT32,
 * {@code byte[]} for INT8, UINT8 and BOOL (0 or 1), {@code short[]} for INT16, UINT16 and the raw
 * bits of FLOAT16 and BFLOAT16.
 */
public enum DataType {
    FLOAT(1, "float32", 4),
    UINT8(2, "uint8", 1),
    INT8(3, "int8", 1),
    UINT16(4, "uint16", 2),
    INT16(5, "int16", 2),
    INT32(6, "int32", 4),
    INT64(7, "int64", 8),
    BOOL(9, "bool", 1),
    FLOAT16(10, "float16", 2),
    DOUBLE(11, "float64", 8),
    UINT32(12, "uint32", 4),
    UINT64(13, "uint64", 8),
    BFLOAT16(16, "bfloat16", 2);

    private final int onnxCode;
    private final String displayName;
    private final int byteSize;

    DataType(int onnxCode, String displayName, int byteSize) {
        this.onnxCode = onnxCode;
        this.displayName = displayName;
        this.byteSize = byteSize;
    }

    /** The ONNX {@code TensorProto.DataType} number. */
    public int onnxCode() {
        return onnxCode;
    }

    /** Bytes per element in ONNX's little-endian raw encoding. */
    public int byteSize() {
        return byteSize;
    }

    public boolean isFloatingPoint() {
        return this == FLOAT || this == DOUBLE || this == FLOAT16 || this == BFLOAT16;
    }

    public boolean isInteger() {
        return !isFloatingPoint() && this != BOOL;
    }

    /** The type for an ONNX data type number, or an {@link IllegalArgumentException} naming it. */
    public static DataType fromOnnx(int code) {
        for (DataType t : values()) {
            if (t.onnxCode == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("unsupported ONNX tensor data type " + code + " (" + onnxName(code) + ")");
    }

    /** ONNX's name for a data type number, also for types the engine does not support. */
    public static String onnxName(int code) {
        return switch (code) {
            case 0 -> "UNDEFINED";
            case 8 -> "string";
            case 14 -> "complex64";
            case 15 -> "complex128";
            case 17 -> "float8e4m3fn";
            case 18 -> "float8e4m3fnuz";
            case 19 -> "float8e5m2";
            case 20 -> "float8e5m2fnuz";
            case 21 -> "uint4";
            case 22 -> "int4";
            case 23 -> "float4e2m1";
            default -> {
                for (DataType t : values()) {
                    if (t.onnxCode == code) {
                        yield t.displayName;
                    }
                }
                yield "type#" + code;
            }
        };
    }

    @Override
    public String toString() {
        return displayName;
    }
}
