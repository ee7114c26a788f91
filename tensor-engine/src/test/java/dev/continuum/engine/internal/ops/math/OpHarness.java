package dev.continuum.engine.internal.ops.math;

import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Attributes;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.KernelFactory;
import dev.continuum.engine.internal.ops.OpRegistry;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;
import dev.continuum.engine.internal.ops.WorkerPool;
import dev.continuum.engine.onnx.AttributeProto;
import java.util.ArrayList;
import java.util.List;

/** Builds one node of an op, makes its kernel through the registry and runs it. */
final class OpHarness {
    private static final OpRegistry REGISTRY = registry();

    private final String op;
    private final int opset;
    private final List<AttributeProto> attributes = new ArrayList<>();

    private OpHarness(String op, int opset) {
        this.op = op;
        this.opset = opset;
    }

    static OpHarness op(String op, int opset) {
        return new OpHarness(op, opset);
    }

    private static OpRegistry registry() {
        OpRegistry r = new OpRegistry();
        MathOps.register(r);
        return r;
    }

    OpHarness attr(String name, float value) {
        attributes.add(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT)
                .setF(value).build());
        return this;
    }

    OpHarness attr(String name, long value) {
        attributes.add(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT)
                .setI(value).build());
        return this;
    }

    OpHarness attr(String name, String value) {
        attributes.add(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(value)).build());
        return this;
    }

    Kernel kernel(int inputs, int outputs) {
        List<String> in = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            in.add("x" + i);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            out.add("y" + i);
        }
        KernelFactory f = REGISTRY.find("", op, opset);
        if (f == null) {
            throw new AssertionError(op + " is not registered at opset " + opset);
        }
        return f.create(new Node("n", op, "", opset, in, out, new Attributes(attributes)));
    }

    /** Runs the node serially and returns its first output. */
    Tensor run(Tensor... inputs) {
        return runAll(1, inputs)[0];
    }

    Tensor[] runAll(int outputs, Tensor... inputs) {
        return kernel(inputs.length, outputs).compute(ExecContext.serial(), inputs);
    }

    /** Runs the node on a 4-thread pool, so that large outputs split into parallel chunks. */
    Tensor runParallel(Tensor... inputs) {
        WorkerPool pool = new WorkerPool(4);
        try {
            return kernel(inputs.length, 1).compute(new ExecContext(pool, 4), inputs)[0];
        } finally {
            pool.close();
        }
    }

    ValueType[] infer(ValueType... inputs) {
        return kernel(inputs.length, 2).inferTypes(new TypeContext() {
            @Override
            public int inputCount() {
                return inputs.length;
            }

            @Override
            public ValueType input(int i) {
                return i < inputs.length ? inputs[i] : ValueType.unknown();
            }

            @Override
            public Tensor constant(int i) {
                return null;
            }

            @Override
            public boolean hasInput(int i) {
                return i < inputs.length;
            }
        });
    }
}
