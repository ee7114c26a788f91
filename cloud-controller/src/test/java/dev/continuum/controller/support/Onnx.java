package dev.continuum.controller.support;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.continuum.engine.onnx.GraphProto;
import dev.continuum.engine.onnx.ModelProto;
import dev.continuum.engine.onnx.NodeProto;
import dev.continuum.engine.onnx.OperatorSetIdProto;
import dev.continuum.engine.onnx.TensorProto;
import dev.continuum.engine.onnx.TensorShapeProto;
import dev.continuum.engine.onnx.TypeProto;
import dev.continuum.engine.onnx.ValueInfoProto;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/** Test ONNX files built with the engine's generated protobuf classes. */
public final class Onnx {
    public static final int FLOAT = 1;
    public static final int INT64 = 7;

    private Onnx() {
    }

    /**
     * A valid model: {@code y = Reshape(x, [-1, 48])} with x float32 [N,3,4,4]; 2 parameters (the
     * shape initializer). {@code tag} goes into doc_string so different tags give different bytes.
     */
    public static byte[] reshape(String tag) {
        TensorProto shape = TensorProto.newBuilder().setName("target_shape").setDataType(INT64).addDims(2)
                .setRawData(com.google.protobuf.ByteString.copyFrom(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                        .putLong(-1).putLong(48).array()))
                .build();
        GraphProto g = GraphProto.newBuilder().setName("reshape")
                .addNode(NodeProto.newBuilder().setName("flatten_features").setOpType("Reshape")
                        .addInput("x").addInput("target_shape").addOutput("y"))
                .addInitializer(shape)
                .addInput(value("x", FLOAT, "N", 3, 4, 4))
                .addOutput(value("y", FLOAT, "N", 48))
                .build();
        return model(g, tag).toByteArray();
    }

    /**
     * A valid model that fails on zeros: {@code y = Reshape(x, shape)} with x float32 [N,3,4,4] and the
     * target shape an int64 [2] input, which zeros make [0, 0] (x's first two dimensions, too few
     * elements for x's 48 per image).
     */
    public static byte[] reshapeByInput(String tag) {
        GraphProto g = GraphProto.newBuilder().setName("reshape_by_input")
                .addNode(NodeProto.newBuilder().setName("flatten_features").setOpType("Reshape")
                        .addInput("x").addInput("shape").addOutput("y"))
                .addInput(value("x", FLOAT, "N", 3, 4, 4))
                .addInput(value("shape", INT64, null, 2))
                .addOutput(value("y", FLOAT, "N", 48))
                .build();
        return model(g, tag).toByteArray();
    }

    /** A well-formed model whose node {@code mystery_1} uses the op type {@code NotAnOp}. */
    public static byte[] unsupportedOp() {
        GraphProto g = GraphProto.newBuilder().setName("mystery")
                .addNode(NodeProto.newBuilder().setName("mystery_1").setOpType("NotAnOp").addInput("x").addOutput("y"))
                .addInput(value("x", FLOAT, null, 4))
                .addOutput(value("y", FLOAT, null, 4))
                .build();
        return model(g, "unsupported").toByteArray();
    }

    /** Bytes that are not protobuf at all. */
    public static byte[] garbage(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        b[0] = (byte) 0xff; // an invalid field tag: the parser must fail at once
        return b;
    }

    /**
     * Streams a valid model with one float32 initializer of {@code rawBytes} bytes ({@code w}, read by
     * a Shape node) to {@code file}, without ever holding the weights in memory. Returns the file's sha256.
     */
    public static String writeLarge(Path file, long rawBytes) throws IOException {
        if (rawBytes % 4 != 0) {
            throw new IllegalArgumentException("rawBytes must be a multiple of 4, got " + rawBytes);
        }
        GraphProto graphFields = GraphProto.newBuilder().setName("large")
                .addNode(NodeProto.newBuilder().setName("shape_of_w").setOpType("Shape").addInput("w").addOutput("s"))
                .addOutput(value("s", INT64, null, 1))
                .build();
        TensorProto header = TensorProto.newBuilder().setName("w").setDataType(FLOAT).addDims(rawBytes / 4).build();
        long tensorLen = header.getSerializedSize() + CodedOutputStream.computeTagSize(9)
                + CodedOutputStream.computeUInt64SizeNoTag(rawBytes) + rawBytes;
        long graphLen = graphFields.getSerializedSize() + CodedOutputStream.computeTagSize(5)
                + CodedOutputStream.computeUInt64SizeNoTag(tensorLen) + tensorLen;
        ModelProto head = ModelProto.newBuilder().setIrVersion(8).setProducerName("continuum-tests")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).build();

        MessageDigest sha = sha256();
        try (OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20), sha)) {
            CodedOutputStream cos = CodedOutputStream.newInstance(out, 1 << 16);
            head.writeTo(cos);
            cos.writeTag(ModelProto.GRAPH_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            cos.writeUInt64NoTag(graphLen);
            graphFields.writeTo(cos);
            cos.writeTag(GraphProto.INITIALIZER_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            cos.writeUInt64NoTag(tensorLen);
            header.writeTo(cos);
            cos.writeTag(TensorProto.RAW_DATA_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            cos.writeUInt64NoTag(rawBytes);
            byte[] chunk = new byte[1 << 20];
            new Random(42).nextBytes(chunk);
            for (long left = rawBytes; left > 0; left -= chunk.length) {
                chunk[0]++; // no two chunks alike
                cos.writeRawBytes(chunk, 0, (int) Math.min(chunk.length, left));
            }
            cos.flush();
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ModelProto model(GraphProto g, String tag) {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("continuum-tests").setProducerVersion("1")
                .setDocString(tag)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(g).build();
    }

    /** A tensor value; {@code batch} names a leading dynamic dimension (none when null). */
    private static ValueInfoProto value(String name, int elemType, String batch, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        if (batch != null) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(batch));
        }
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType)
                        .setShape(shape)))
                .build();
    }
}
