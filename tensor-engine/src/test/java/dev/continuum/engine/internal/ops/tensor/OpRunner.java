package dev.continuum.engine.internal.ops.tensor;

import com.google.protobuf.ByteString;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Attributes;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.TensorProtos;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.KernelFactory;
import dev.continuum.engine.internal.ops.OpRegistry;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;
import dev.continuum.engine.onnx.AttributeProto;
import dev.continuum.engine.onnx.AttributeProto.AttributeType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds one node of this package's ops, as the loader would, and runs or type-infers it. */
final class OpRunner {
    private static final OpRegistry REGISTRY = registry();

    private final String op;
    private final int opset;
    private final List<AttributeProto> attributes = new ArrayList<>();
    private int outputs = 1;

    private OpRunner(String op, int opset) {
        this.op = op;
        this.opset = opset;
    }

    static OpRunner op(String op, int opset) {
        return new OpRunner(op, opset);
    }

    private static OpRegistry registry() {
        OpRegistry r = new OpRegistry();
        TensorOps.register(r);
        return r;
    }

    OpRunner outputs(int n) {
        this.outputs = n;
        return this;
    }

    OpRunner attr(String name, long value) {
        attributes.add(AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(value).build());
        return this;
    }

    OpRunner attr(String name, float value) {
        attributes.add(AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOAT).setF(value).build());
        return this;
    }

    OpRunner attr(String name, String value) {
        attributes.add(AttributeProto.newBuilder().setName(name).setType(AttributeType.STRING)
                .setS(ByteString.copyFrom(value, StandardCharsets.UTF_8)).build());
        return this;
    }

    OpRunner ints(String name, long... values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
        for (long v : values) {
            b.addInts(v);
        }
        attributes.add(b.build());
        return this;
    }

    OpRunner tensor(String name, Tensor value) {
        attributes.add(AttributeProto.newBuilder().setName(name).setType(AttributeType.TENSOR)
                .setT(TensorProtos.toProto(name, value)).build());
        return this;
    }

    /** The kernel for a node with {@code inputCount} inputs (the factory runs, validating attributes). */
    Kernel kernel(int inputCount) {
        List<String> in = new ArrayList<>();
        for (int i = 0; i < inputCount; i++) {
            in.add("in" + i);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            out.add("out" + i);
        }
        KernelFactory f = REGISTRY.find("", op, opset);
        if (f == null) {
            throw new AssertionError(op + " is not registered for opset " + opset);
        }
        return f.create(new Node(op + "_0", op, "", opset, in, out, new Attributes(attributes)));
    }

    /** Runs the node; a null input is an omitted optional input. */
    Tensor[] run(Tensor... inputs) {
        return kernel(inputs.length).compute(ExecContext.serial(), inputs);
    }

    Tensor run1(Tensor... inputs) {
        return run(inputs)[0];
    }

    /** Infers output types from input types; {@code constants[i]} (may be null) is input i's value. */
    ValueType[] infer(ValueType[] types, Tensor... constants) {
        Kernel k = kernel(types.length);
        return k.inferTypes(new TypeContext() {
            @Override
            public int inputCount() {
                return types.length;
            }

            @Override
            public ValueType input(int i) {
                return types[i] == null ? ValueType.unknown() : types[i];
            }

            @Override
            public Tensor constant(int i) {
                return i < constants.length ? constants[i] : null;
            }

            @Override
            public boolean hasInput(int i) {
                return i < types.length && types[i] != null;
            }
        });
    }

    static Tensor floats(int[] shape, float... v) {
        return Tensor.ofFloats(shape, v);
    }

    static Tensor longs(long... v) {
        return Tensor.ofLongs(new int[] {v.length}, v);
    }

    static int[] shape(int... dims) {
        return dims;
    }

    static double[] values(Tensor t) {
        double[] r = new double[t.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = t.getDouble(i);
        }
        return r;
    }

    static String describe(Tensor t) {
        return t.dataType() + Arrays.toString(t.dims());
    }
}
