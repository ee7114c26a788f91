package dev.continuum.controller.agentlink;

import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The LeNet model fixture of the tensor engine (PyTorch export) with its reference input and
 * PyTorch's output, read from the engine module's test resources.
 */
public final class LenetFixture {
    static final Path DIR = Path.of("..", "tensor-engine", "src", "test", "resources", "models", "lenet");

    /** A float32 TensorProto: its dims and values. */
    public record FloatTensor(long[] dims, float[] data) {
    }

    private LenetFixture() {
    }

    public static byte[] onnx() {
        try {
            return Files.readAllBytes(DIR.resolve("model.onnx"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static FloatTensor input() {
        return read(DIR.resolve("test_data_set_0").resolve("input_0.pb"));
    }

    public static FloatTensor output() {
        return read(DIR.resolve("test_data_set_0").resolve("output_0.pb"));
    }

    /** Reads dims (field 1), data_type (2, must be FLOAT), float_data (4) or raw_data (9) of an ONNX TensorProto. */
    static FloatTensor read(Path pb) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(Files.readAllBytes(pb));
            List<Long> dims = new ArrayList<>();
            List<Float> floats = new ArrayList<>();
            byte[] raw = null;
            for (int tag; (tag = in.readTag()) != 0; ) {
                int field = tag >>> 3;
                int wire = tag & 7;
                if (field == 1 && wire == 0) {
                    dims.add(in.readInt64());
                } else if (field == 1 && wire == 2) {
                    int limit = in.pushLimit(in.readRawVarint32());
                    while (in.getBytesUntilLimit() > 0) {
                        dims.add(in.readInt64());
                    }
                    in.popLimit(limit);
                } else if (field == 2) {
                    if (in.readInt32() != 1) {
                        throw new IllegalArgumentException(pb + " is not a float32 tensor");
                    }
                } else if (field == 4 && wire == 2) {
                    int limit = in.pushLimit(in.readRawVarint32());
                    while (in.getBytesUntilLimit() > 0) {
                        floats.add(in.readFloat());
                    }
                    in.popLimit(limit);
                } else if (field == 4 && wire == 5) {
                    floats.add(in.readFloat());
                } else if (field == 9) {
                    raw = in.readByteArray();
                } else {
                    in.skipField(tag);
                }
            }
            float[] data;
            if (raw != null) {
                data = new float[raw.length / 4];
                ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
            } else {
                data = new float[floats.size()];
                for (int i = 0; i < data.length; i++) {
                    data[i] = floats.get(i);
                }
            }
            return new FloatTensor(dims.stream().mapToLong(Long::longValue).toArray(), data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
