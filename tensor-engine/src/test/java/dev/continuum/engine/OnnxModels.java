package dev.continuum.engine;

import com.google.protobuf.ByteString;
import dev.continuum.engine.onnx.AttributeProto;
import dev.continuum.engine.onnx.GraphProto;
import dev.continuum.engine.onnx.ModelProto;
import dev.continuum.engine.onnx.NodeProto;
import dev.continuum.engine.onnx.OperatorSetIdProto;
import dev.continuum.engine.onnx.TensorProto;
import dev.continuum.engine.onnx.TensorShapeProto;
import dev.continuum.engine.onnx.TypeProto;
import dev.continuum.engine.onnx.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds small ONNX models in tests. */
final class OnnxModels {
    private OnnxModels() {
    }

    static ValueInfoProto value(String name, DataType type, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(type.onnxCode()).setShape(shape))).build();
    }

    static NodeProto node(String name, String op, String[] inputs, String[] outputs, AttributeProto... attrs) {
        NodeProto.Builder b = NodeProto.newBuilder().setName(name).setOpType(op);
        for (String i : inputs) {
            b.addInput(i);
        }
        for (String o : outputs) {
            b.addOutput(o);
        }
        for (AttributeProto a : attrs) {
            b.addAttribute(a);
        }
        return b.build();
    }

    static TensorProto floats(String name, long[] dims, float... values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(DataType.FLOAT.onnxCode())
                .setRawData(ByteString.copyFrom(buf.array()));
        for (long d : dims) {
            b.addDims(d);
        }
        return b.build();
    }

    static ModelProto model(int opset, GraphProto graph) {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("continuum-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(graph).build();
    }

    /** y = Relu(x + bias) with x of shape [N, 4] (N dynamic) and a constant bias of shape [4]. */
    static ModelProto addRelu() {
        GraphProto g = GraphProto.newBuilder().setName("add_relu")
                .addInput(value("x", DataType.FLOAT, -1, 4))
                .addOutput(value("y", DataType.FLOAT, -1, 4))
                .addInitializer(floats("bias", new long[] {4}, 1f, -2f, 0.5f, 0f))
                .addNode(node("add", "Add", new String[] {"x", "bias"}, new String[] {"sum"}))
                .addNode(node("relu", "Relu", new String[] {"sum"}, new String[] {"y"}))
                .build();
        return model(13, g);
    }
}
