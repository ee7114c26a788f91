package dev.continuum.oip;

import com.google.protobuf.ByteString;
import dev.continuum.engine.DataType;
import dev.continuum.engine.Float16;
import dev.continuum.engine.Tensor;
import dev.continuum.proto.inference.InferTensorContents;
import dev.continuum.proto.inference.ModelInferRequest.InferInputTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * Tensors in the gRPC form of OIP v2: typed {@code contents} (FP16/BF16 as fp32_contents, small
 * integers widened as in the KServe spec) or little-endian {@code raw_input_contents}. A widened
 * value that does not fit its datatype is refused (400) naming the input, never truncated.
 */
public final class OipProtoTensors {
    private OipProtoTensors() {
    }

    public static Tensor fromRaw(InferInputTensor in, ByteString raw) {
        DataType type = OipTypes.parse(in.getName(), in.getDatatype());
        long[] shape = in.getShapeList().stream().mapToLong(Long::longValue).toArray();
        int n = OipTypes.elementCount(in.getName(), shape);
        if ((long) n * type.byteSize() != raw.size()) {
            throw OipException.badRequest("input '" + in.getName() + "': shape " + Arrays.toString(shape) + " of "
                    + in.getDatatype() + " needs " + (long) n * type.byteSize() + " raw bytes, got " + raw.size());
        }
        ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        Object a = Tensor.newArray(type, n);
        switch (type) {
            case FLOAT -> b.asFloatBuffer().get((float[]) a);
            case DOUBLE -> b.asDoubleBuffer().get((double[]) a);
            case INT64, UINT64 -> b.asLongBuffer().get((long[]) a);
            case INT32, UINT32 -> b.asIntBuffer().get((int[]) a);
            case INT16, UINT16, FLOAT16, BFLOAT16 -> b.asShortBuffer().get((short[]) a);
            case INT8, UINT8, BOOL -> b.get((byte[]) a);
        }
        return Tensor.of(type, OipTypes.toIntShape(shape), a);
    }

    public static Tensor fromContents(InferInputTensor in) {
        DataType type = OipTypes.parse(in.getName(), in.getDatatype());
        long[] shape = in.getShapeList().stream().mapToLong(Long::longValue).toArray();
        int n = OipTypes.elementCount(in.getName(), shape);
        InferTensorContents c = in.getContents();
        Object a = Tensor.newArray(type, n);
        int have = switch (type) {
            case FLOAT -> copy(c.getFp32ContentsList(), n, i -> ((float[]) a)[i] = c.getFp32Contents(i));
            case FLOAT16 -> copy(c.getFp32ContentsList(), n, i -> ((short[]) a)[i] = Float16.fromFloat(c.getFp32Contents(i)));
            case BFLOAT16 -> copy(c.getFp32ContentsList(), n,
                    i -> ((short[]) a)[i] = Float16.floatToBfloat16(c.getFp32Contents(i)));
            case DOUBLE -> copy(c.getFp64ContentsList(), n, i -> ((double[]) a)[i] = c.getFp64Contents(i));
            case INT64 -> copy(c.getInt64ContentsList(), n, i -> ((long[]) a)[i] = c.getInt64Contents(i));
            case UINT64 -> copy(c.getUint64ContentsList(), n, i -> ((long[]) a)[i] = c.getUint64Contents(i));
            case INT32 -> copy(c.getIntContentsList(), n, i -> ((int[]) a)[i] = c.getIntContents(i));
            case UINT32 -> copy(c.getUintContentsList(), n, i -> ((int[]) a)[i] = c.getUintContents(i));
            case INT16 -> copy(c.getIntContentsList(), n,
                    i -> ((short[]) a)[i] = (short) narrow(in, type, i, c.getIntContents(i), Short.MIN_VALUE, Short.MAX_VALUE));
            case UINT16 -> copy(c.getUintContentsList(), n,
                    i -> ((short[]) a)[i] = (short) narrow(in, type, i, Integer.toUnsignedLong(c.getUintContents(i)), 0, 0xFFFF));
            case INT8 -> copy(c.getIntContentsList(), n,
                    i -> ((byte[]) a)[i] = (byte) narrow(in, type, i, c.getIntContents(i), Byte.MIN_VALUE, Byte.MAX_VALUE));
            case UINT8 -> copy(c.getUintContentsList(), n,
                    i -> ((byte[]) a)[i] = (byte) narrow(in, type, i, Integer.toUnsignedLong(c.getUintContents(i)), 0, 0xFF));
            case BOOL -> copy(c.getBoolContentsList(), n, i -> ((byte[]) a)[i] = (byte) (c.getBoolContents(i) ? 1 : 0));
        };
        if (have != n) {
            throw OipException.badRequest("input '" + in.getName() + "': shape " + Arrays.toString(shape) + " needs " + n
                    + " values, the " + field(type) + " contents have " + have);
        }
        return Tensor.of(type, OipTypes.toIntShape(shape), a);
    }

    /** {@code v} when it fits {@code type}; otherwise a 400 naming the input, the element and the range. */
    private static long narrow(InferInputTensor in, DataType type, int i, long v, long min, long max) {
        if (v < min || v > max) {
            throw OipException.badRequest("input '" + in.getName() + "': " + field(type) + "_contents[" + i + "] = " + v
                    + " is not within " + OipTypes.name(type) + " (" + min + " to " + max + ")");
        }
        return v;
    }

    private interface IndexSetter {
        void set(int i);
    }

    private static int copy(List<?> list, int n, IndexSetter set) {
        if (list.size() == n) {
            for (int i = 0; i < n; i++) {
                set.set(i);
            }
        }
        return list.size();
    }

    private static String field(DataType t) {
        return switch (t) {
            case FLOAT, FLOAT16, BFLOAT16 -> "fp32";
            case DOUBLE -> "fp64";
            case INT64 -> "int64";
            case UINT64 -> "uint64";
            case INT32, INT16, INT8 -> "int";
            case UINT32, UINT16, UINT8 -> "uint";
            case BOOL -> "bool";
        };
    }

    public static ByteString toRaw(Tensor t) {
        int n = t.size();
        ByteBuffer b = ByteBuffer.allocate(n * t.dataType().byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        switch (t.dataType()) {
            case FLOAT -> b.asFloatBuffer().put(t.floatData(), 0, n);
            case DOUBLE -> b.asDoubleBuffer().put(t.doubleData(), 0, n);
            case INT64, UINT64 -> b.asLongBuffer().put(t.longData(), 0, n);
            case INT32, UINT32 -> b.asIntBuffer().put(t.intData(), 0, n);
            case INT16, UINT16, FLOAT16, BFLOAT16 -> b.asShortBuffer().put(t.shortData(), 0, n);
            case INT8, UINT8, BOOL -> b.put(t.byteData(), 0, n);
        }
        return ByteString.copyFrom(b.array());
    }

    public static InferTensorContents toContents(Tensor t) {
        InferTensorContents.Builder c = InferTensorContents.newBuilder();
        int n = t.size();
        for (int i = 0; i < n; i++) {
            switch (t.dataType()) {
                case FLOAT -> c.addFp32Contents(t.floatData()[i]);
                case FLOAT16 -> c.addFp32Contents(Float16.toFloat(t.shortData()[i]));
                case BFLOAT16 -> c.addFp32Contents(Float16.bfloat16ToFloat(t.shortData()[i]));
                case DOUBLE -> c.addFp64Contents(t.doubleData()[i]);
                case INT64 -> c.addInt64Contents(t.longData()[i]);
                case UINT64 -> c.addUint64Contents(t.longData()[i]);
                case INT32, INT16, INT8 -> c.addIntContents((int) t.getLong(i));
                case UINT32, UINT16, UINT8 -> c.addUintContents((int) t.getLong(i));
                case BOOL -> c.addBoolContents(t.byteData()[i] != 0);
            }
        }
        return c.build();
    }
}
