package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/** ONNX Reshape (shape as input, since 5; {@code allowzero} since 14). The output shares the input's data. */
final class Reshape implements Kernel {
    private final boolean allowZero;

    Reshape(Node node) {
        this.allowZero = node.attributes().getInt("allowzero", 0) != 0;
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        Tensor data = inputs[0];
        int[] out = resolve(data.dims(), Shapes.toInts(inputs[1], "input 'shape'"), allowZero);
        if (Shapes.size(out) != data.size()) {
            throw new IllegalArgumentException("cannot reshape " + Shapes.str(data.dims()) + " to " + Shapes.str(out));
        }
        return new Tensor[] {data.reshape(out)};
    }

    /**
     * The output shape for {@code spec} applied to {@code in} (dims may be -1 = unknown): 0 copies the
     * input dim unless {@code allowZero}, one -1 is inferred (left -1 when an input dim is unknown).
     */
    static int[] resolve(int[] in, int[] spec, boolean allowZero) {
        int[] out = new int[spec.length];
        int inferred = -1;
        long known = 1;
        boolean unknown = false;
        for (int i = 0; i < spec.length; i++) {
            int s = spec[i];
            if (s == 0 && !allowZero) {
                if (i >= in.length) {
                    throw new IllegalArgumentException("cannot reshape " + Shapes.str(in) + " to " + Shapes.str(spec)
                            + ": dim " + i + " copies a missing input dim");
                }
                s = in[i];
            } else if (s == -1) {
                if (inferred >= 0) {
                    throw new IllegalArgumentException("cannot reshape to " + Shapes.str(spec) + ": more than one -1");
                }
                inferred = i;
                continue;
            } else if (s < -1) {
                throw new IllegalArgumentException("cannot reshape to " + Shapes.str(spec) + ": negative dim " + s);
            }
            out[i] = s;
            unknown |= s < 0;
            known *= Math.max(s, 0);
        }
        if (inferred >= 0) {
            out[inferred] = inferDim(in, spec, known, unknown);
        }
        return out;
    }

    private static int inferDim(int[] in, int[] spec, long known, boolean unknown) {
        long total = 1;
        for (int d : in) {
            if (d < 0) {
                return -1;
            }
            total *= d;
        }
        if (unknown) {
            return -1;
        }
        if (known == 0 || total % known != 0) {
            if (known == 0 && total == 0) {
                return 0;
            }
            throw new IllegalArgumentException("cannot reshape " + Shapes.str(in) + " to " + Shapes.str(spec));
        }
        return (int) (total / known);
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        ValueType in = ctx.input(0);
        Tensor shape = ctx.constant(1);
        if (shape == null) {
            return new ValueType[] {new ValueType(in.type(), null)};
        }
        int[] spec = Shapes.toInts(shape, "input 'shape'");
        int[] inShape = in.shape();
        if (inShape == null) {
            for (int s : spec) {
                if (s == 0 && !allowZero || s == -1) {
                    return new ValueType[] {new ValueType(in.type(), unknownDims(spec.length))};
                }
            }
            return new ValueType[] {new ValueType(in.type(), spec)};
        }
        return new ValueType[] {new ValueType(in.type(), resolve(inShape, spec, allowZero))};
    }

    static int[] unknownDims(int rank) {
        int[] s = new int[rank];
        java.util.Arrays.fill(s, -1);
        return s;
    }
}
