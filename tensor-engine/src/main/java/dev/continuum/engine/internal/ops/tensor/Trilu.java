package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/**
 * ONNX Trilu: keeps the upper ({@code j - i >= k}) or lower ({@code j - i <= k}) triangle of the last
 * two axes and zeroes the rest; {@code k} is the optional int64 scalar input 1.
 */
final class Trilu implements Kernel {
    private final boolean upper;

    Trilu(Node node) {
        this.upper = node.attributes().getInt("upper", 1) != 0;
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        Tensor x = inputs[0];
        int[] in = x.dims();
        if (in.length < 2) {
            throw new IllegalArgumentException("input has shape " + Shapes.str(in) + ", expected rank >= 2");
        }
        long k = 0;
        if (inputs.length > 1 && inputs[1] != null) {
            long[] kv = Shapes.toLongs(inputs[1], "input 'k'");
            if (kv.length != 1) {
                throw new IllegalArgumentException("input 'k' has " + kv.length + " values, expected 1");
            }
            k = kv[0];
        }
        int rows = in[in.length - 2];
        int cols = in[in.length - 1];
        int[] index = new int[x.size()];
        for (int p = 0; p < index.length; p++) {
            int i = (p / cols) % rows;
            int j = p % cols;
            long diff = (long) j - i;
            boolean keep = upper ? diff >= k : diff <= k;
            index[p] = keep ? p : Gathers.OUTSIDE;
        }
        return new Tensor[] {Tensor.of(x.dataType(), x.shape(), Gathers.take(x.data(), index, null))};
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        ValueType in = ctx.input(0);
        return new ValueType[] {new ValueType(in.type(), Gathers.copyOrNull(in.shape()))};
    }
}
