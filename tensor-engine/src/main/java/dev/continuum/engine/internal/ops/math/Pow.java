package dev.continuum.engine.internal.ops.math;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/**
 * Pow: base ^ exponent, broadcast; the exponent may have another numeric type than the base and the
 * result has the base's type. Integer ^ integer is exact (wrapping); integer ^ float is computed in
 * double and truncated toward zero, as numpy's {@code power(a, b).astype(a.dtype)} does.
 */
final class Pow implements Kernel {

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] inputs) {
        Tensor base = inputs[0];
        Tensor exp = inputs[1];
        Elementwise.requireNumeric("Pow", base.dataType());
        Elementwise.requireNumeric("Pow", exp.dataType());
        if (base.dataType() == DataType.FLOAT && exp.size() == 1 && exp.rank() <= base.rank()) {
            Tensor fast = constantExponent(ctx, base, exp.getDouble(0));
            if (fast != null) {
                return new Tensor[] {fast};
            }
        }
        Broadcast bc = Broadcast.of(base.dims(), exp.dims());
        DataType type = base.dataType();
        Lane lane = Lane.of(type);
        boolean intExponent = Lane.of(exp.dataType()) == Lane.LONG;
        Object out;
        if (lane == Lane.LONG && intExponent) {
            out = Elementwise.binary(ctx, IntPow.INSTANCE, Lane.LONG, false, bc, Lanes.longs(base), Lanes.longs(exp));
        } else if (lane == Lane.LONG) {
            out = truncatedPow(ctx, bc, Lanes.longs(base), Lanes.doubles(exp));
        } else if (lane == Lane.FLOAT && exp.dataType() == DataType.FLOAT) {
            out = Elementwise.binary(ctx, FloatPow.INSTANCE, Lane.FLOAT, false, bc, Lanes.floats(base), exp.floatData());
        } else {
            double[] e = Lanes.doubles(exp);
            double[] d = (double[]) Elementwise.binary(ctx, FloatPow.INSTANCE, Lane.DOUBLE, false, bc,
                    Lanes.doubles(base), e);
            out = lane == Lane.DOUBLE ? d : toFloats(d);
        }
        return new Tensor[] {Elementwise.narrow(ctx, type, bc.shape(), out)};
    }

    /** x^2 and x^0.5 of a float32 tensor, exactly as {@link FloatPow}; null for other exponents. */
    private static Tensor constantExponent(ExecContext ctx, Tensor base, double e) {
        float[] x = base.floatData();
        int n = x.length;
        float[] r;
        if (e == 2.0) {
            r = ctx.floats(n);
            FloatKernels.get().unary(FloatKernels.Unary.SQUARE, x, 0, r, 0, n);
        } else if (e == 0.5) {
            r = ctx.floats(n);
            FloatKernels.get().unary(FloatKernels.Unary.SQRT, x, 0, r, 0, n);
            for (int i = 0; i < n; i++) {
                // pow(-0, 0.5) is +0 and pow(-inf, 0.5) is +inf, where sqrt gives -0 and NaN
                if (x[i] == 0f || x[i] == Float.NEGATIVE_INFINITY) {
                    r[i] = x[i] == 0f ? 0f : Float.POSITIVE_INFINITY;
                }
            }
        } else {
            return null;
        }
        return Tensor.of(DataType.FLOAT, base.dims(), r);
    }

    private static long[] truncatedPow(ExecContext ctx, Broadcast bc, long[] base, double[] exp) {
        long[] r = Elementwise.longs(ctx, bc.size());
        int sa = bc.step(0);
        int sb = bc.step(1);
        bc.forEach(ctx, (o, offs, len) -> {
            for (int k = 0, i = offs[0], j = offs[1]; k < len; k++, i += sa, j += sb) {
                r[o + k] = (long) Math.pow(base[i], exp[j]);
            }
        });
        return r;
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        return Elementwise.inferBroadcast(ctx, ctx.input(0).type());
    }

    /** Floating-point power; squares and square roots are computed directly. */
    private enum FloatPow implements BinaryFn {
        INSTANCE;

        public float f(float a, float b) {
            if (b == 2f) {
                return a * a;
            }
            return (float) Math.pow(a, b);
        }

        public double d(double a, double b) {
            return b == 2.0 ? a * a : Math.pow(a, b);
        }

        public long l(long a, long b) {
            throw new IllegalStateException("integer lane of a float power");
        }
    }

    /** Integer power by squaring, wrapping on overflow; a negative exponent gives 1/a truncated. */
    enum IntPow implements BinaryFn {
        INSTANCE;

        public float f(float a, float b) {
            throw new IllegalStateException("float lane of an integer power");
        }

        public double d(double a, double b) {
            throw new IllegalStateException("double lane of an integer power");
        }

        public long l(long a, long b) {
            if (b < 0) {
                return a == 1 ? 1 : a == -1 ? ((b & 1) == 0 ? 1 : -1) : 0;
            }
            long result = 1;
            long x = a;
            for (long e = b; e != 0; e >>>= 1) {
                if ((e & 1) != 0) {
                    result *= x;
                }
                x *= x;
            }
            return result;
        }
    }
}
