package dev.continuum.engine.internal.ops.math;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.LongUnaryOperator;

/**
 * A unary elementwise op: a {@link UnaryFn} over float32, float64, float16 and bfloat16 inputs, and
 * optionally an integer function over the integer types the op allows.
 */
final class UnaryKernel implements Kernel {
    static final Set<DataType> SIGNED = EnumSet.of(DataType.INT8, DataType.INT16, DataType.INT32, DataType.INT64);
    static final Set<DataType> INTEGERS = EnumSet.of(DataType.INT8, DataType.INT16, DataType.INT32, DataType.INT64,
            DataType.UINT8, DataType.UINT16, DataType.UINT32, DataType.UINT64);

    private final String op;
    private final UnaryFn fn;
    private final LongUnaryOperator intFn;  // null when the op takes no integers
    private final Set<DataType> intTypes;
    private final FloatKernels.Unary fast;  // the float-lane array loop, or null for fn per element

    /** A float-only op. */
    UnaryKernel(String op, UnaryFn fn) {
        this(op, fn, null, Set.of(), null);
    }

    /** A float-only op with an array loop for the float lane. */
    UnaryKernel(String op, UnaryFn fn, FloatKernels.Unary fast) {
        this(op, fn, null, Set.of(), fast);
    }

    UnaryKernel(String op, UnaryFn fn, LongUnaryOperator intFn, Set<DataType> intTypes) {
        this(op, fn, intFn, intTypes, null);
    }

    UnaryKernel(String op, UnaryFn fn, LongUnaryOperator intFn, Set<DataType> intTypes, FloatKernels.Unary fast) {
        this.op = op;
        this.fn = fn;
        this.intFn = intFn;
        this.intTypes = intTypes;
        this.fast = fast;
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        Tensor x = inputs[0];
        DataType type = x.dataType();
        int n = x.size();
        switch (Lane.of(type)) {
            case FLOAT: {
                float[] a = Lanes.floats(x);
                float[] r = ctx.floats(n);
                if (fast != null) {
                    FloatKernels k = FloatKernels.get();
                    if (n < Elementwise.GRAIN / 4 || ctx.threads() == 1) {
                        k.unary(fast, a, 0, r, 0, n);
                    } else {
                        ctx.parallelFor(n, Elementwise.GRAIN / 4, (from, to) -> k.unary(fast, a, from, r, from, to - from));
                    }
                } else {
                    ctx.parallelFor(n, Elementwise.GRAIN, (from, to) -> {
                        for (int i = from; i < to; i++) {
                            r[i] = fn.f(a[i]);
                        }
                    });
                }
                return new Tensor[] {Elementwise.narrow(ctx, type, x.dims(), r)};
            }
            case DOUBLE: {
                double[] a = x.doubleData();
                double[] r = new double[n];
                ctx.parallelFor(n, Elementwise.GRAIN, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        r[i] = fn.d(a[i]);
                    }
                });
                return new Tensor[] {Tensor.of(type, x.dims(), r)};
            }
            default: {
                if (intFn == null || !intTypes.contains(type)) {
                    throw new UnsupportedOperationException(op + " does not support " + type + " input");
                }
                long[] a = Lanes.longs(x);
                long[] r = Elementwise.longs(ctx, n);
                ctx.parallelFor(n, Elementwise.GRAIN, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        r[i] = intFn.applyAsLong(a[i]);
                    }
                });
                return new Tensor[] {Elementwise.narrow(ctx, type, x.dims(), r)};
            }
        }
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        return Elementwise.inferSame(ctx);
    }
}
