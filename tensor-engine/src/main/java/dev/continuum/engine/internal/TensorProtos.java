package dev.continuum.engine.internal;

import com.google.protobuf.ByteString;
import dev.continuum.engine.DataType;
import dev.continuum.engine.ModelFormatException;
import dev.continuum.engine.UnsupportedModelException;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.onnx.StringStringEntryProto;
import dev.continuum.engine.onnx.TensorProto;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** Conversion between ONNX {@code TensorProto} messages and engine tensors. */
public final class TensorProtos {
    private TensorProtos() {
    }

    public static Tensor toTensor(TensorProto p) {
        return toTensor(p, null);
    }

    /** A tensor read from a file with the name its TensorProto gives it ("" when unnamed). */
    public record Named(String name, Tensor tensor) {
    }

    /**
     * Reads a file holding one serialized TensorProto (ONNX test data, {@code input_K.pb}); every
     * problem is a {@link ModelFormatException} naming the file.
     */
    public static Named readFile(Path file) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            TensorProto p = TensorProto.parseFrom(in);
            return new Named(p.getName(), toTensor(p));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ModelFormatException("tensor file not found: " + file);
        } catch (IOException e) {
            throw new ModelFormatException("tensor file " + file + " is not a valid TensorProto: " + e.getMessage(), e);
        } catch (ModelFormatException | dev.continuum.engine.UnsupportedModelException e) {
            throw new ModelFormatException("tensor file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Decodes a tensor from raw little-endian bytes, the typed repeated fields, or external data
     * (a file relative to {@code baseDir}).
     */
    public static Tensor toTensor(TensorProto p, Path baseDir) {
        String what = p.getName().isEmpty() ? "tensor" : "tensor '" + p.getName() + "'";
        DataType type;
        try {
            type = DataType.fromOnnx(p.getDataType());
        } catch (IllegalArgumentException e) {
            throw new UnsupportedModelException(what + ": " + e.getMessage());
        }
        int[] shape = new int[p.getDimsCount()];
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            long d = p.getDims(i);
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new ModelFormatException(what + ": invalid dimension " + d);
            }
            shape[i] = (int) d;
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new ModelFormatException(what + ": too many elements");
            }
        }
        int count = (int) n;
        Object data;
        if (p.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            data = fromBytes(type, readExternal(p, baseDir, what, (long) count * type.byteSize()), count, what);
        } else if (p.hasRawData()) {
            data = fromBytes(type, p.getRawData().asReadOnlyByteBuffer(), count, what);
        } else {
            data = fromTyped(p, type, count, what);
        }
        return Tensor.of(type, shape, data);
    }

    /** External data of at least this many bytes is mapped rather than read into a heap array. */
    private static final long MAP_EXTERNAL_BYTES = 1 << 16;

    private static ByteBuffer readExternal(TensorProto p, Path baseDir, String what, long expectedBytes) {
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : p.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = Long.parseLong(e.getValue());
                case "length" -> length = Long.parseLong(e.getValue());
                default -> {
                }
            }
        }
        if (location == null) {
            throw new ModelFormatException(what + ": external data without a location");
        }
        if (baseDir == null) {
            throw new ModelFormatException(what + ": external data '" + location + "' needs the model's directory");
        }
        Path file = baseDir.resolve(location).normalize();
        if (!file.startsWith(baseDir.normalize())) {
            throw new ModelFormatException(what + ": external data location '" + location + "' leaves the model directory");
        }
        long len = length >= 0 ? length : expectedBytes;
        if (len != expectedBytes) {
            throw new ModelFormatException(what + ": external data holds " + len + " bytes, expected " + expectedBytes);
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            if (offset + len > f.length()) {
                throw new ModelFormatException(what + ": external data '" + location + "' is truncated");
            }
            if (len >= MAP_EXTERNAL_BYTES) {
                return f.getChannel().map(FileChannel.MapMode.READ_ONLY, offset, len);
            }
            byte[] b = new byte[(int) len];
            f.seek(offset);
            f.readFully(b);
            return ByteBuffer.wrap(b);
        } catch (IOException e) {
            throw new ModelFormatException(what + ": cannot read external data '" + location + "': " + e.getMessage(), e);
        }
    }

    private static Object fromBytes(DataType type, ByteBuffer raw, int count, String what) {
        ByteBuffer b = raw.slice().order(ByteOrder.LITTLE_ENDIAN);
        long expected = (long) count * type.byteSize();
        if (b.remaining() != expected) {
            throw new ModelFormatException(what + ": raw data has " + b.remaining() + " bytes, expected " + expected
                    + " for " + count + " " + type + " elements");
        }
        Object data = Tensor.newArray(type, count);
        switch (type) {
            case FLOAT -> b.asFloatBuffer().get((float[]) data);
            case DOUBLE -> b.asDoubleBuffer().get((double[]) data);
            case INT64, UINT64 -> b.asLongBuffer().get((long[]) data);
            case INT32, UINT32 -> b.asIntBuffer().get((int[]) data);
            case INT8, UINT8 -> b.get((byte[]) data);
            case BOOL -> {
                byte[] d = (byte[]) data;
                b.get(d);
                for (int i = 0; i < d.length; i++) {
                    d[i] = d[i] != 0 ? (byte) 1 : 0;
                }
            }
            case INT16, UINT16, FLOAT16, BFLOAT16 -> b.asShortBuffer().get((short[]) data);
        }
        return data;
    }

    private static Object fromTyped(TensorProto p, DataType type, int count, String what) {
        Object data = Tensor.newArray(type, count);
        int available = switch (type) {
            case FLOAT -> p.getFloatDataCount();
            case DOUBLE -> p.getDoubleDataCount();
            case INT64 -> p.getInt64DataCount();
            case UINT32, UINT64 -> p.getUint64DataCount();
            default -> p.getInt32DataCount();
        };
        if (available != count) {
            throw new ModelFormatException(what + ": has " + available + " values, expected " + count + " for its shape");
        }
        for (int i = 0; i < count; i++) {
            switch (type) {
                case FLOAT -> ((float[]) data)[i] = p.getFloatData(i);
                case DOUBLE -> ((double[]) data)[i] = p.getDoubleData(i);
                case INT64 -> ((long[]) data)[i] = p.getInt64Data(i);
                case UINT64 -> ((long[]) data)[i] = p.getUint64Data(i);
                case UINT32 -> ((int[]) data)[i] = (int) p.getUint64Data(i);
                case INT32 -> ((int[]) data)[i] = p.getInt32Data(i);
                case INT8, UINT8 -> ((byte[]) data)[i] = (byte) p.getInt32Data(i);
                case BOOL -> ((byte[]) data)[i] = p.getInt32Data(i) != 0 ? (byte) 1 : 0;
                case INT16, UINT16, FLOAT16, BFLOAT16 -> ((short[]) data)[i] = (short) p.getInt32Data(i);
            }
        }
        return data;
    }

    /** Encodes a tensor with its data in {@code raw_data}, as ONNX's own tools write test data. */
    public static TensorProto toProto(String name, Tensor t) {
        TensorProto.Builder b = TensorProto.newBuilder().setDataType(t.dataType().onnxCode());
        if (name != null) {
            b.setName(name);
        }
        for (int d : t.dims()) {
            b.addDims(d);
        }
        ByteBuffer buf = ByteBuffer.allocate(t.size() * t.dataType().byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        switch (t.dataType()) {
            case FLOAT -> buf.asFloatBuffer().put(t.floatData());
            case DOUBLE -> buf.asDoubleBuffer().put(t.doubleData());
            case INT64, UINT64 -> buf.asLongBuffer().put(t.longData());
            case INT32, UINT32 -> buf.asIntBuffer().put(t.intData());
            case INT8, UINT8, BOOL -> buf.put(t.byteData());
            case INT16, UINT16, FLOAT16, BFLOAT16 -> buf.asShortBuffer().put(t.shortData());
        }
        return b.setRawData(ByteString.copyFrom(buf.array())).build();
    }
}
