package dev.continuum.engine.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.continuum.engine.ModelFormatException;
import dev.continuum.engine.onnx.ModelProto;
import dev.continuum.engine.onnx.TensorProto;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/**
 * Reads a ModelProto from a stream while dropping the data of large initializers, so that a model
 * of any size can be validated with bounded memory. The dropped initializers keep their name, type
 * and dims and are reported in {@code shapeOnly}; external-data initializers are treated the same.
 */
final class StrippedModelReader {
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_INITIALIZER = 5;
    private static final Set<Integer> TENSOR_DATA_FIELDS = Set.of(4, 5, 6, 7, 9, 10, 11);

    private final int keepBytes;
    private final Set<String> shapeOnly;

    /**
     * @param keepBytes initializer data up to this many bytes per field is kept (small constants such
     *                  as Reshape shapes are needed for shape inference)
     * @param shapeOnly receives the names of initializers whose data was dropped
     */
    StrippedModelReader(int keepBytes, Set<String> shapeOnly) {
        this.keepBytes = keepBytes;
        this.shapeOnly = shapeOnly;
    }

    ModelProto read(InputStream stream) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(stream, 1 << 16);
            in.setSizeLimit(Integer.MAX_VALUE);
            byte[] model = filter(in, MODEL_GRAPH, this::filterGraph);
            return ModelProto.parseFrom(model);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new ModelFormatException("not a valid ONNX model: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read ONNX model: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface Filter {
        byte[] apply(CodedInputStream in) throws IOException;
    }

    /** Copies every field of the current message, passing the sub-message {@code field} through {@code inner}. */
    private static byte[] filter(CodedInputStream in, int field, Filter inner) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            if (WireFormat.getTagFieldNumber(tag) == field
                    && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                int length = in.readRawVarint32();
                int limit = in.pushLimit(length);
                byte[] sub = inner.apply(in);
                if (!in.isAtEnd()) {
                    throw new ModelFormatException("not a valid ONNX model: malformed field " + field);
                }
                in.popLimit(limit);
                out.writeByteArray(field, sub);
            } else if (!in.skipField(tag, out)) {
                break;
            }
        }
        out.flush();
        return bytes.toByteArray();
    }

    private byte[] filterGraph(CodedInputStream in) throws IOException {
        return filter(in, GRAPH_INITIALIZER, this::filterTensor);
    }

    private byte[] filterTensor(CodedInputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        boolean stripped = false;
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            int field = WireFormat.getTagFieldNumber(tag);
            if (TENSOR_DATA_FIELDS.contains(field) && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                int length = in.readRawVarint32();
                if (length > keepBytes) {
                    in.skipRawBytes(length);
                    stripped = true;
                } else {
                    out.writeByteArray(field, in.readRawBytes(length));
                }
            } else if (!in.skipField(tag, out)) {
                break;
            }
        }
        out.flush();
        byte[] result = bytes.toByteArray();
        TensorProto header = TensorProto.parseFrom(result);
        if (stripped || header.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            shapeOnly.add(header.getName());
        }
        return result;
    }
}
