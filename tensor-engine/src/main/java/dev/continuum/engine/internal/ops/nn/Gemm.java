package dev.continuum.engine.internal.ops.nn;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Attributes;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.gemm.PackedMatrix;
import dev.continuum.engine.internal.gemm.Sgemm;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.FusedActivation;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;
import java.util.Arrays;

/** ONNX Gemm: {@code Y = alpha * op(A) * op(B) + beta * C}, C optional and unidirectionally broadcast. */
final class Gemm implements Kernel {
    private final float alpha;
    private final float beta;
    private final boolean transA;
    private final boolean transB;
    private final FusedActivation activation;

    Gemm(Node node) {
        Attributes at = node.attributes();
        activation = FusedActivation.from(at);
        alpha = at.getFloat("alpha", 1f);
        beta = at.getFloat("beta", 1f);
        transA = flag(at, "transA");
        transB = flag(at, "transB");
    }

    private static boolean flag(Attributes at, String name) {
        long v = at.getInt(name, 0);
        if (v != 0 && v != 1) {
            throw new IllegalArgumentException("attribute '" + name + "' must be 0 or 1, got " + v);
        }
        return v == 1;
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] in) {
        Tensor a = in[0];
        Tensor b = in[1];
        Tensor c = in.length > 2 ? in[2] : null;
        if (a.rank() != 2 || b.rank() != 2) {
            throw new IllegalArgumentException("inputs A and B must be 2-D, got " + Shapes.str(a.dims())
                    + " and " + Shapes.str(b.dims()));
        }
        int m = transA ? a.dim(1) : a.dim(0);
        int k = transA ? a.dim(0) : a.dim(1);
        int kb = transB ? b.dim(1) : b.dim(0);
        int n = transB ? b.dim(0) : b.dim(1);
        if (k != kb) {
            throw new IllegalArgumentException("inner dims of A " + Shapes.str(a.dims()) + " and B "
                    + Shapes.str(b.dims()) + " differ (transA=" + (transA ? 1 : 0) + ", transB=" + (transB ? 1 : 0) + ")");
        }
        if (a.dataType() != b.dataType() || (c != null && c.dataType() != a.dataType())) {
            throw new IllegalArgumentException("inputs A, B and C must have one type");
        }
        int[] outShape = {m, n};
        int[] cIndex = c == null ? null : broadcastC(c, outShape);
        return switch (a.dataType()) {
            case FLOAT -> new Tensor[] {gemmFloat(ctx, a, b, c, cIndex, m, n, k)};
            case DOUBLE -> new Tensor[] {gemmDouble(a, b, c, cIndex, m, n, k)};
            default -> throw new UnsupportedOperationException("Gemm does not support " + a.dataType() + " input");
        };
    }

    private static int[] broadcastC(Tensor c, int[] outShape) {
        int[] s = Shapes.broadcast(c.dims(), outShape);
        if (!Arrays.equals(s, outShape)) {
            throw new IllegalArgumentException("input C " + Shapes.str(c.dims()) + " does not broadcast to "
                    + Shapes.str(outShape));
        }
        return Shapes.broadcastIndex(c.dims(), outShape);
    }

    private Tensor gemmFloat(ExecContext ctx, Tensor a, Tensor b, Tensor c, int[] cIndex, int m, int n, int k) {
        float[] y = ctx.floats(m * n);
        float effectiveBeta = loadC(c, cIndex, y, m, n);
        Sgemm.get().sgemm(transA, transB, m, n, k, alpha, a.floatData(), 0, a.dim(1),
                b.floatData(), 0, b.dim(1), effectiveBeta, y, 0, n, ctx);
        activation.apply(y, 0, y.length);
        return Tensor.of(DataType.FLOAT, new int[] {m, n}, y);
    }

    private Tensor gemmDouble(Tensor a, Tensor b, Tensor c, int[] cIndex, int m, int n, int k) {
        double[] ad = a.doubleData();
        double[] bd = b.doubleData();
        int lda = a.dim(1);
        int ldb = b.dim(1);
        double[] y = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                double av = alpha * ad[transA ? p * lda + i : i * lda + p];
                for (int j = 0; j < n; j++) {
                    y[i * n + j] += av * bd[transB ? j * ldb + p : p * ldb + j];
                }
            }
        }
        if (c != null && beta != 0f) {
            double[] cd = c.doubleData();
            for (int i = 0; i < y.length; i++) {
                y[i] += beta * cd[cIndex[i]];
            }
        }
        activation.apply(y, 0, y.length);
        return Tensor.of(DataType.DOUBLE, new int[] {m, n}, y);
    }

    /**
     * Y (m, n) set to C broadcast (cIndex, when null computed here) and the beta the product must
     * then use; without C or with beta 0 the product overwrites Y, so the arena's dirty array needs
     * no clearing.
     */
    private float loadC(Tensor c, int[] cIndex, float[] y, int m, int n) {
        if (c == null || beta == 0f) {
            return 0f;
        }
        float[] cd = c.floatData();
        if (c.size() == n && (c.rank() == 1 || (c.rank() == 2 && c.dim(0) == 1))) {
            for (int i = 0; i < m; i++) {
                System.arraycopy(cd, 0, y, i * n, n); // a bias row
            }
            return beta;
        }
        int[] index = cIndex != null ? cIndex : broadcastC(c, new int[] {m, n});
        for (int i = 0; i < y.length; i++) {
            y[i] = cd[index[i]];
        }
        return beta;
    }

    /** With a constant float B: B packed once at load for {@link Sgemm#sgemmPacked}. */
    @Override
    public Kernel specialize(TypeContext ctx) {
        Tensor b = ctx.constant(1);
        if (b == null || b.dataType() != DataType.FLOAT || b.rank() != 2) {
            return this;
        }
        int k = transB ? b.dim(1) : b.dim(0);
        int n = transB ? b.dim(0) : b.dim(1);
        PackedMatrix packed = Sgemm.get().packB(transB, k, n, b.floatData(), 0, b.dim(1));
        int[] bDims = b.dims();
        Gemm generic = this;
        Epilogue epilogue = Epilogue.of(activation);
        return new Kernel() {
            @Override
            public Tensor[] compute(ExecContext ctx, Tensor[] in) {
                Tensor a = in[0];
                Tensor c = in.length > 2 ? in[2] : null;
                if (a.dataType() != DataType.FLOAT || a.rank() != 2 || (transA ? a.dim(0) : a.dim(1)) != k
                        || (c != null && c.dataType() != DataType.FLOAT)) {
                    return generic.compute(ctx, withB(in)); // it names what is wrong
                }
                int m = transA ? a.dim(1) : a.dim(0);
                int[] outShape = {m, n};
                float[] y = ctx.floats(m * n);
                float effectiveBeta = loadC(c, null, y, m, n);
                Sgemm.get().sgemmPacked(transA, m, alpha, a.floatData(), 0, a.dim(1), packed, effectiveBeta, y, 0, n, ctx);
                if (!epilogue.isNone()) {
                    NnLoops.get().biasActivation(y, 0, y, 0, y.length, 0f, epilogue);
                }
                return new Tensor[] {Tensor.of(DataType.FLOAT, outShape, y)};
            }

            /** B is held packed only: the graph keeps no copy of it unless another step reads it. */
            @Override
            public boolean readsAtRun(int input) {
                return input != 1;
            }

            /** The inputs with B, unpacked (exactly its floats), for the generic kernel. */
            private Tensor[] withB(Tensor[] in) {
                Tensor[] all = in.clone();
                float[] data = new float[k * n];
                if (transB) {
                    packed.unpackTransposedInto(data, 0, k);
                } else {
                    packed.unpackInto(data, 0, n);
                }
                all[1] = Tensor.ofFloats(bDims, data);
                return all;
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
        int m = -1;
        int n = -1;
        if (a.hasRank() && a.rank() == 2) {
            m = a.shape()[transA ? 1 : 0];
        }
        if (b.hasRank() && b.rank() == 2) {
            n = b.shape()[transB ? 0 : 1];
        }
        return new ValueType[] {new ValueType(a.type(), new int[] {m, n})};
    }
}
