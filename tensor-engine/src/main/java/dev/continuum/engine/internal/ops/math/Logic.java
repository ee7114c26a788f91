package dev.continuum.engine.internal.ops.math;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/** The boolean ops Not and And. */
final class Logic {
    private Logic() {
    }

    static Kernel not(Node n) {
        return new Kernel() {
            @Override
            public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
                byte[] a = bools("Not", inputs[0]);
                byte[] r = new byte[a.length];
                for (int i = 0; i < a.length; i++) {
                    r[i] = a[i] != 0 ? 0 : (byte) 1;
                }
                return new Tensor[] {Tensor.of(DataType.BOOL, inputs[0].dims(), r)};
            }

            @Override
            public ValueType[] inferTypes(TypeContext ctx) {
                return new ValueType[] {new ValueType(DataType.BOOL, ctx.input(0).shape())};
            }
        };
    }

    static Kernel and(Node n) {
        return new Kernel() {
            @Override
            public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
                byte[] a = bools("And", inputs[0]);
                byte[] b = bools("And", inputs[1]);
                Broadcast bc = Broadcast.of(inputs[0].dims(), inputs[1].dims());
                byte[] r = new byte[bc.size()];
                int sa = bc.step(0);
                int sb = bc.step(1);
                bc.forEach(ctx, (o, offs, len) -> {
                    for (int k = 0, i = offs[0], j = offs[1]; k < len; k++, i += sa, j += sb) {
                        r[o + k] = a[i] != 0 && b[j] != 0 ? (byte) 1 : 0;
                    }
                });
                return new Tensor[] {Tensor.of(DataType.BOOL, bc.shape(), r)};
            }

            @Override
            public ValueType[] inferTypes(TypeContext ctx) {
                return Elementwise.inferBroadcast(ctx, DataType.BOOL);
            }
        };
    }

    private static byte[] bools(String op, Tensor t) {
        if (t.dataType() != DataType.BOOL) {
            throw new UnsupportedOperationException(op + " does not support " + t.dataType() + " input");
        }
        return t.byteData();
    }
}
