package dev.continuum.engine.internal.ops.nn;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Attributes;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.gemm.Sgemm;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.FusedActivation;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;
import java.util.Arrays;

/**
 * ONNX Conv (1-D to 3-D, groups, dilations, strides, pads, auto_pad, optional bias) as im2col
 * followed by one {@link Sgemm} per (image, group): {@code Y[g] = W[g] * col}, with W[g] seen as
 * (M/group, C/group * kernelSize).
 */
final class Conv implements Kernel {
    private final WindowAttributes window;
    private final int group;
    private final FusedActivation activation;

    Conv(Node node) {
        window = new WindowAttributes(node.attributes(), false);
        activation = FusedActivation.from(node.attributes());
        group = group(node.attributes());
    }

    /** Attribute 'group' (default 1), checked positive; shared with ConvTranspose. */
    static int group(Attributes at) {
        long g = at.getInt("group", 1);
        if (g < 1 || g > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("attribute 'group' must be positive, got " + g);
        }
        return (int) g;
    }

    /** Checks the optional bias B against M output channels; shared with ConvTranspose. */
    static void checkBias(Tensor b, int m) {
        if (b != null && (b.rank() != 1 || b.dim(0) != m)) {
            throw new IllegalArgumentException("input B " + Shapes.str(b.dims()) + " must be (M) = (" + m + ")");
        }
    }

    private ConvGeometry geometry(int[] x, int[] w) {
        if (x.length < 3 || w.length != x.length) {
            throw new IllegalArgumentException("inputs X " + Shapes.str(x) + " and W " + Shapes.str(w)
                    + " must both have rank >= 3 (N, C, D1, ...) and (M, C/group, k1, ...)");
        }
        int[] kernel = window.kernelShape != null ? window.kernelShape : Arrays.copyOfRange(w, 2, w.length);
        return window.resolve(Arrays.copyOfRange(x, 2, x.length), kernel);
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] in) {
        Tensor x = in[0];
        Tensor w = in[1];
        Tensor b = in.length > 2 ? in[2] : null;
        if (x.dataType() != DataType.FLOAT || w.dataType() != DataType.FLOAT) {
            throw new UnsupportedOperationException("Conv does not support " + x.dataType() + " input");
        }
        ConvGeometry g = geometry(x.dims(), w.dims());
        int n = x.dim(0);
        int c = x.dim(1);
        int m = w.dim(0);
        checkChannels(c, m, w, b, g);
        int rows = c / group * g.kernelSize(); // K of each product
        int outSize = g.outSize();
        float[] y = new float[n * m * outSize];
        if (b != null) {
            float[] bias = b.floatData();
            for (int i = 0; i < n * m; i++) {
                Arrays.fill(y, i * outSize, (i + 1) * outSize, bias[i % m]);
            }
        }
        float[] xs = x.floatData();
        float[] ws = w.floatData();
        boolean pointwise = g.isPointwise();
        int tasks = n * group;
        float beta = b == null ? 0f : 1f;
        if (ctx.threads() > 1 && tasks >= ctx.threads()) {
            // Many small products (batches, groups, depthwise): one (image, group) per task.
            ctx.parallelFor(tasks, 1, (from, to) -> {
                float[] col = pointwise ? null : new float[rows * outSize];
                for (int t = from; t < to; t++) {
                    product(ExecContext.serial(), g, t / group, t % group, c, m, xs, ws, beta, y, col);
                }
            });
        } else {
            float[] col = pointwise ? null : new float[rows * outSize];
            for (int t = 0; t < tasks; t++) {
                product(ctx, g, t / group, t % group, c, m, xs, ws, beta, y, col);
            }
        }
        int[] outShape = new int[x.rank()];
        outShape[0] = n;
        outShape[1] = m;
        System.arraycopy(g.out(), 0, outShape, 2, g.rank());
        activation.apply(y, 0, y.length);
        return new Tensor[] {Tensor.of(DataType.FLOAT, outShape, y)};
    }

    /** Y[img, group gi] (M/group, outSize) = W[gi] * im2col(X[img, group gi]) + beta * Y. */
    private void product(ExecContext ctx, ConvGeometry g, int img, int gi, int c, int m, float[] xs, float[] ws,
                         float beta, float[] y, float[] col) {
        int cg = c / group;
        int mg = m / group;
        int rows = cg * g.kernelSize();
        int outSize = g.outSize();
        int xOffset = (img * c + gi * cg) * g.imageSize();
        float[] bMat = xs;
        int bOffset = xOffset;
        if (col != null) {
            Im2Col.im2col(ctx, g, xs, xOffset, cg, col);
            bMat = col;
            bOffset = 0;
        }
        Sgemm.get().sgemm(false, false, mg, outSize, rows, 1f, ws, gi * mg * rows, rows,
                bMat, bOffset, outSize, beta, y, (img * m + gi * mg) * outSize, outSize, ctx);
    }

    private void checkChannels(int c, int m, Tensor w, Tensor b, ConvGeometry g) {
        if (c % group != 0 || m % group != 0) {
            throw new IllegalArgumentException("input channels " + c + " and output channels " + m
                    + " must be divisible by attribute 'group' " + group);
        }
        if (w.dim(1) != c / group) {
            throw new IllegalArgumentException("input W " + Shapes.str(w.dims()) + " must have C/group = "
                    + c / group + " at dim 1");
        }
        if (!Arrays.equals(Arrays.copyOfRange(w.dims(), 2, w.rank()), g.kernel())) {
            throw new IllegalArgumentException("attribute 'kernel_shape' " + Shapes.str(g.kernel())
                    + " does not match W " + Shapes.str(w.dims()));
        }
        checkBias(b, m);
    }

    /** With constant float weights (and bias) and a 2-D image: {@link FastConv}. */
    @Override
    public Kernel specialize(TypeContext ctx) {
        Kernel k = FastConv.of(this, window, group, Epilogue.of(activation), ctx);
        return k != null ? k : this;
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        ValueType x = ctx.input(0);
        ValueType w = ctx.input(1);
        if (!x.hasRank() || !w.hasRank()) {
            return new ValueType[] {new ValueType(x.type(), null)};
        }
        int[] ws = w.shape();
        if (window.kernelShape == null) {
            for (int i = 2; i < ws.length; i++) {
                if (ws[i] < 0) {
                    return new ValueType[] {new ValueType(x.type(), partial(x.shape(), ws[0], null))};
                }
            }
        }
        ConvGeometry g = geometry(x.shape(), ws);
        return new ValueType[] {new ValueType(x.type(), partial(x.shape(), ws[0], g.out()))};
    }

    /** (N, M, out...) with unknown spatial dims when out is null. */
    static int[] partial(int[] x, int m, int[] out) {
        int[] s = new int[x.length];
        Arrays.fill(s, -1);
        s[0] = x[0];
        s[1] = m;
        if (out != null) {
            System.arraycopy(out, 0, s, 2, out.length);
        }
        return s;
    }
}
