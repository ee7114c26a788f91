package dev.continuum.engine.internal.ops.nn;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.gemm.PackedMatrix;
import dev.continuum.engine.internal.gemm.Sgemm;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;
import java.util.Arrays;

/**
 * ONNX MatMul with numpy semantics: batch dims broadcast, a 1-D A is a row vector and a 1-D B a
 * column vector whose unit dim is dropped from the result.
 */
final class MatMul implements Kernel {

    /** The plan of the last operand dims seen: a model's runs repeat them, and a plan is a few arrays. */
    private volatile Plan last;

    MatMul(Node node) {
    }

    /** How the operands line up: batch shape, product dims and each batch's operand indices. */
    private record Plan(int[] a, int[] b, int[] outShape, int batch, int m, int n, int k, int[] aBatch,
                        int[] bBatch) {
        boolean isFor(int[] a, int[] b) {
            return Arrays.equals(this.a, a) && Arrays.equals(this.b, b);
        }
    }

    static Plan plan(int[] a, int[] b) {
        if (a.length == 0 || b.length == 0) {
            throw new IllegalArgumentException("MatMul inputs must have rank >= 1, got " + Shapes.str(a)
                    + " and " + Shapes.str(b));
        }
        int[] a2 = a.length == 1 ? new int[] {1, a[0]} : a;
        int[] b2 = b.length == 1 ? new int[] {b[0], 1} : b;
        int m = a2[a2.length - 2];
        int k = a2[a2.length - 1];
        int n = b2[b2.length - 1];
        if (b2[b2.length - 2] != k) {
            throw new IllegalArgumentException("MatMul inner dims differ: A " + Shapes.str(a) + ", B " + Shapes.str(b));
        }
        int[] batchA = Arrays.copyOf(a2, a2.length - 2);
        int[] batchB = Arrays.copyOf(b2, b2.length - 2);
        int[] batch = Shapes.broadcast(batchA, batchB);
        int[] out = outShape(batch, a.length == 1 ? -2 : m, b.length == 1 ? -2 : n);
        return new Plan(a.clone(), b.clone(), out, Shapes.size(batch), m, n, k,
                Shapes.broadcastIndex(batchA, batch), Shapes.broadcastIndex(batchB, batch));
    }

    /** batch + [m, n], where a dim of -2 is dropped (a 1-D operand). */
    private static int[] outShape(int[] batch, int m, int n) {
        int[] out = Arrays.copyOf(batch, batch.length + (m != -2 ? 1 : 0) + (n != -2 ? 1 : 0));
        int i = batch.length;
        if (m != -2) {
            out[i++] = m;
        }
        if (n != -2) {
            out[i] = n;
        }
        return out;
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] in) {
        Tensor a = in[0];
        Tensor b = in[1];
        if (a.dataType() != b.dataType()) {
            throw new IllegalArgumentException("inputs A and B must have one type, got " + a.dataType()
                    + " and " + b.dataType());
        }
        Plan p = last;
        if (p == null || !p.isFor(a.dims(), b.dims())) {
            p = plan(a.dims(), b.dims());
            last = p;
        }
        DataType t = a.dataType();
        Object y = switch (t) {
            case FLOAT -> matmulFloat(ctx, p, a.floatData(), b.floatData());
            case DOUBLE -> matmulDouble(p, a.doubleData(), b.doubleData());
            case INT32, UINT32 -> matmulInt(p, a.intData(), b.intData());
            case INT64, UINT64 -> matmulLong(p, a.longData(), b.longData());
            default -> throw new UnsupportedOperationException("MatMul does not support " + t + " input");
        };
        return new Tensor[] {Tensor.of(t, p.outShape(), y)};
    }

    private static float[] matmulFloat(ExecContext ctx, Plan p, float[] a, float[] b) {
        int m = p.m();
        int n = p.n();
        int k = p.k();
        float[] y = ctx.floats(p.batch() * m * n);
        if (p.batch() == 0) {
            return y;
        }
        if (isIdentity(p.aBatch()) && allZero(p.bBatch())) {
            // B is shared by every batch and A's batches are contiguous: one product of (batch*m, k) x (k, n).
            Sgemm.get().sgemm(false, false, p.batch() * m, n, k, 1f, a, 0, k, b, 0, n, 0f, y, 0, n, ctx);
        } else if (p.batch() >= ctx.threads() && ctx.worthSplitting(2L * p.batch() * m * n * k)) {
            ctx.parallelFor(p.batch(), 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    Sgemm.get().sgemm(false, false, m, n, k, 1f, a, p.aBatch()[i] * m * k, k,
                            b, p.bBatch()[i] * k * n, n, 0f, y, i * m * n, n, ExecContext.serial());
                }
            });
        } else {
            for (int i = 0; i < p.batch(); i++) {
                Sgemm.get().sgemm(false, false, m, n, k, 1f, a, p.aBatch()[i] * m * k, k,
                        b, p.bBatch()[i] * k * n, n, 0f, y, i * m * n, n, ctx);
            }
        }
        return y;
    }

    private static boolean isIdentity(int[] index) {
        for (int i = 0; i < index.length; i++) {
            if (index[i] != i) {
                return false;
            }
        }
        return true;
    }

    private static boolean allZero(int[] index) {
        for (int v : index) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }

    private static double[] matmulDouble(Plan p, double[] a, double[] b) {
        int m = p.m();
        int n = p.n();
        int k = p.k();
        double[] y = new double[p.batch() * m * n];
        for (int bi = 0; bi < p.batch(); bi++) {
            int ao = p.aBatch()[bi] * m * k;
            int bo = p.bBatch()[bi] * k * n;
            int yo = bi * m * n;
            for (int i = 0; i < m; i++) {
                for (int q = 0; q < k; q++) {
                    double av = a[ao + i * k + q];
                    int br = bo + q * n;
                    int yr = yo + i * n;
                    for (int j = 0; j < n; j++) {
                        y[yr + j] += av * b[br + j];
                    }
                }
            }
        }
        return y;
    }

    private static int[] matmulInt(Plan p, int[] a, int[] b) {
        int m = p.m();
        int n = p.n();
        int k = p.k();
        int[] y = new int[p.batch() * m * n];
        for (int bi = 0; bi < p.batch(); bi++) {
            int ao = p.aBatch()[bi] * m * k;
            int bo = p.bBatch()[bi] * k * n;
            int yo = bi * m * n;
            for (int i = 0; i < m; i++) {
                for (int q = 0; q < k; q++) {
                    int av = a[ao + i * k + q];
                    int br = bo + q * n;
                    int yr = yo + i * n;
                    for (int j = 0; j < n; j++) {
                        y[yr + j] += av * b[br + j];
                    }
                }
            }
        }
        return y;
    }

    private static long[] matmulLong(Plan p, long[] a, long[] b) {
        int m = p.m();
        int n = p.n();
        int k = p.k();
        long[] y = new long[p.batch() * m * n];
        for (int bi = 0; bi < p.batch(); bi++) {
            int ao = p.aBatch()[bi] * m * k;
            int bo = p.bBatch()[bi] * k * n;
            int yo = bi * m * n;
            for (int i = 0; i < m; i++) {
                for (int q = 0; q < k; q++) {
                    long av = a[ao + i * k + q];
                    int br = bo + q * n;
                    int yr = yo + i * n;
                    for (int j = 0; j < n; j++) {
                        y[yr + j] += av * b[br + j];
                    }
                }
            }
        }
        return y;
    }

    /**
     * With a constant float B of rank 2 (a linear layer): B packed once at load, and every batch of
     * A in one {@link Sgemm#sgemmPacked} of (batch * m, k) x (k, n).
     */
    @Override
    public Kernel specialize(TypeContext ctx) {
        Tensor b = ctx.constant(1);
        if (b == null || b.dataType() != DataType.FLOAT || b.rank() != 2) {
            return this;
        }
        int k = b.dim(0);
        int n = b.dim(1);
        PackedMatrix packed = Sgemm.get().packB(false, k, n, b.floatData(), 0, n);
        MatMul generic = this;
        int[] bDims = b.dims();
        return new Kernel() {
            @Override
            public Tensor[] compute(ExecContext ctx, Tensor[] in) {
                Tensor a = in[0];
                if (a.dataType() != DataType.FLOAT || a.rank() < 1 || a.dim(a.rank() - 1) != k) {
                    return generic.compute(ctx, in);
                }
                Plan p = plan(a.dims(), bDims);
                int rows = p.batch() * p.m();
                float[] y = ctx.floats(rows * n);
                if (rows > 0) {
                    Sgemm.get().sgemmPacked(false, rows, 1f, a.floatData(), 0, k, packed, 0f, y, 0, n, ctx);
                }
                return new Tensor[] {Tensor.of(DataType.FLOAT, p.outShape(), y)};
            }

            @Override
            public ValueType[] inferTypes(TypeContext ctx) {
                return generic.inferTypes(ctx);
            }
        };
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        ValueType a = ctx.input(0);
        ValueType b = ctx.input(1);
        return new ValueType[] {new ValueType(a.type() != null ? a.type() : b.type(), inferShape(a.shape(), b.shape()))};
    }

    /** The output shape of partially known operand shapes, or null when a rank is unknown. */
    static int[] inferShape(int[] a, int[] b) {
        if (a == null || b == null || a.length == 0 || b.length == 0) {
            return null;
        }
        int[] a2 = a.length == 1 ? new int[] {1, a[0]} : a;
        int[] b2 = b.length == 1 ? new int[] {b[0], 1} : b;
        int ka = a2[a2.length - 1];
        int kb = b2[b2.length - 2];
        if (ka >= 0 && kb >= 0 && ka != kb) {
            throw new IllegalArgumentException("MatMul inner dims differ: A " + Shapes.str(a) + ", B " + Shapes.str(b));
        }
        int[] batch = Shapes.broadcastPartial(Arrays.copyOf(a2, a2.length - 2), Arrays.copyOf(b2, b2.length - 2));
        return outShape(batch, a.length == 1 ? -2 : a2[a2.length - 2], b.length == 1 ? -2 : b2[b2.length - 1]);
    }
}
