package dev.continuum.engine.internal.ops;

import com.google.protobuf.ByteString;
import dev.continuum.engine.internal.Attributes;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.onnx.AttributeProto;
import dev.continuum.engine.onnx.AttributeProto.AttributeType;
import java.util.ArrayList;
import java.util.List;

/** Builds nodes with attributes for kernel tests. */
public final class TestNodes {
    private final String opType;
    private final List<AttributeProto> attrs = new ArrayList<>();

    private TestNodes(String opType) {
        this.opType = opType;
    }

    public static TestNodes op(String opType) {
        return new TestNodes(opType);
    }

    public TestNodes i(String name, long v) {
        attrs.add(AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(v).build());
        return this;
    }

    public TestNodes f(String name, float v) {
        attrs.add(AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOAT).setF(v).build());
        return this;
    }

    public TestNodes s(String name, String v) {
        attrs.add(AttributeProto.newBuilder().setName(name).setType(AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(v)).build());
        return this;
    }

    public TestNodes ints(String name, long... v) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
        for (long x : v) {
            b.addInts(x);
        }
        attrs.add(b.build());
        return this;
    }

    public TestNodes floats(String name, float... v) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOATS);
        for (float x : v) {
            b.addFloats(x);
        }
        attrs.add(b.build());
        return this;
    }

    public TestNodes strings(String name, String... v) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeType.STRINGS);
        for (String x : v) {
            b.addStrings(ByteString.copyFromUtf8(x));
        }
        attrs.add(b.build());
        return this;
    }

    public Node node(int opset) {
        return new Node("n0", opType, "", opset, List.of("x"), List.of("y"), new Attributes(attrs));
    }
}
