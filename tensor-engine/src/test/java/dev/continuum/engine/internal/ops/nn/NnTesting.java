package dev.continuum.engine.internal.ops.nn;

import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Attributes;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.KernelFactory;
import dev.continuum.engine.internal.ops.OpRegistry;
import dev.continuum.engine.internal.ops.Ops;
import dev.continuum.engine.onnx.AttributeProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds nodes and kernels through the real registry, so the tests also cover the registrations. */
final class NnTesting {
    private NnTesting() {
    }

    /** The kernel the engine would make for {@code op} at {@code opset} with these attributes. */
    static Kernel kernel(String op, int opset, int inputs, int outputs, AttributeProto... attributes) {
        KernelFactory f = Ops.registry().find(OpRegistry.ONNX, op, opset);
        if (f == null) {
            throw new AssertionError(op + " is not registered for opset " + opset);
        }
        List<String> in = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            in.add("in" + i);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            out.add("out" + i);
        }
        return f.create(new Node("n0", op, "", opset, in, out, new Attributes(Arrays.asList(attributes))));
    }

    static Kernel kernel(String op, int opset, AttributeProto... attributes) {
        return kernel(op, opset, 1, 1, attributes);
    }

    static Tensor[] run(Kernel k, Tensor... inputs) {
        return k.compute(ExecContext.serial(), inputs);
    }

    static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            b.addInts(x);
        }
        return b.build();
    }

    static AttributeProto i(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    static AttributeProto f(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    static AttributeProto s(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(v)).build();
    }

    /** 0, 1, 2, ... scaled and shifted: {@code i * scale + shift}. */
    static float[] ramp(int n, float scale, float shift) {
        float[] r = new float[n];
        for (int i = 0; i < n; i++) {
            r[i] = i * scale + shift;
        }
        return r;
    }
}
