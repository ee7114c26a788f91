package dev.continuum.engine.internal.ops.math;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/**
 * Identity, and Dropout at inference: the output is the input (tensors are immutable values, so it
 * is returned as is). Dropout's optional mask is all true (bool from opset 10, the input's type
 * before). Dropout in training mode is unsupported unless its ratio is 0, where it is the identity too.
 */
final class PassThrough implements Kernel {
    private final String op;
    private final boolean boolMask;

    private PassThrough(String op, boolean boolMask) {
        this.op = op;
        this.boolMask = boolMask;
    }

    static Kernel identity(Node n) {
        return new PassThrough("Identity", true);
    }

    /** Dropout-7: ratio attribute, mask of the input's type. */
    static Kernel dropout7(Node n) {
        return new PassThrough("Dropout", false);
    }

    /** Dropout-10 and later: bool mask; from 12 also the ratio and training_mode inputs. */
    static Kernel dropout(Node n) {
        return new PassThrough("Dropout", true);
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        Tensor x = inputs[0];
        if (op.equals("Identity")) {
            return new Tensor[] {x};
        }
        if (inputs.length > 2 && inputs[2] != null && isTrue(inputs[2]) && !zeroRatio(inputs)) {
            throw new UnsupportedOperationException("Dropout with training_mode=true (random dropping) is not supported");
        }
        return new Tensor[] {x, mask(x)};
    }

    private Tensor mask(Tensor x) {
        if (!boolMask) {
            return ones(x);
        }
        byte[] m = new byte[x.size()];
        java.util.Arrays.fill(m, (byte) 1);
        return Tensor.of(DataType.BOOL, x.dims(), m);
    }

    private static Tensor ones(Tensor x) {
        long[] one = new long[x.size()];
        java.util.Arrays.fill(one, 1L);
        return Cast.convert(Tensor.ofLongs(x.dims(), one), x.dataType());
    }

    private static boolean zeroRatio(Tensor[] inputs) {
        return inputs.length > 1 && inputs[1] != null && inputs[1].size() == 1 && inputs[1].getDouble(0) == 0.0;
    }

    private static boolean isTrue(Tensor t) {
        if (t.size() != 1) {
            throw new IllegalArgumentException("Dropout input 'training_mode' must be a scalar, got shape "
                    + Shapes.str(t.dims()));
        }
        return t.getDouble(0) != 0;
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        ValueType x = ctx.input(0);
        if (op.equals("Identity")) {
            return new ValueType[] {x};
        }
        return new ValueType[] {x, new ValueType(boolMask ? DataType.BOOL : x.type(), x.shape())};
    }
}
