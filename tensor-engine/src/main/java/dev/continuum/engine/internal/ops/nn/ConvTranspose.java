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
 * ONNX ConvTranspose: per (image, group) one {@link Sgemm} {@code col = W[g]^T * X[g]} with W[g]
 * seen as (C/group, M/group * kernelSize), then col2im scatters the columns into the output.
 */
final class ConvTranspose implements Kernel {
    private final int[] kernelShape; // null: from W
    private final int[] strides;
    private final int[] dilations;
    private final int[] pads; // (begin..., end...) or null
    private final int[] outputPadding;
    private final int[] outputShape; // spatial output dims, or null
    private final WindowAttributes.AutoPad autoPad;
    private final int group;
    private final FusedActivation activation;

    ConvTranspose(Node node) {
        Attributes at = node.attributes();
        activation = FusedActivation.from(at);
        kernelShape = WindowAttributes.positive(at, "kernel_shape");
        strides = WindowAttributes.positive(at, "strides");
        dilations = WindowAttributes.positive(at, "dilations");
        pads = at.getIntArray("pads", null);
        outputPadding = at.getIntArray("output_padding", null);
        outputShape = at.getIntArray("output_shape", null);
        autoPad = WindowAttributes.autoPad(at.getString("auto_pad", "NOTSET"));
        group = Conv.group(at);
    }

    /** The geometry with the output as image and the input as window positions; -1 dims stay unknown. */
    private ConvGeometry geometry(int[] x, int[] w) {
        if (x.length < 3 || w.length != x.length) {
            throw new IllegalArgumentException("inputs X " + Shapes.str(x) + " and W " + Shapes.str(w)
                    + " must both have rank >= 3 (N, C, D1, ...) and (C, M/group, k1, ...)");
        }
        int n = x.length - 2;
        int[] kernel = kernelShape != null ? kernelShape : Arrays.copyOfRange(w, 2, w.length);
        if (kernel.length != n) {
            throw new IllegalArgumentException("attribute 'kernel_shape' has " + kernel.length + " dims, input has "
                    + n + " spatial dims");
        }
        WindowAttributes.checkLength("pads", pads, 2 * n);
        WindowAttributes.checkLength("output_padding", outputPadding, n);
        if (outputShape != null && outputShape.length < n) {
            throw new IllegalArgumentException("attribute 'output_shape' has " + outputShape.length
                    + " values, expected at least " + n + " (the spatial dims)");
        }
        int[] s = WindowAttributes.orOnes(strides, n);
        int[] d = WindowAttributes.orOnes(dilations, n);
        WindowAttributes.checkLength("strides", s, n);
        WindowAttributes.checkLength("dilations", d, n);
        int[] in = Arrays.copyOfRange(x, 2, x.length);
        int[] out = new int[n];
        int[] pb = new int[n];
        int[] pe = new int[n];
        for (int i = 0; i < n; i++) {
            int dk = (kernel[i] - 1) * d[i] + 1;
            int op = outputPadding == null ? 0 : outputPadding[i];
            int full = in[i] < 0 ? -1 : s[i] * (in[i] - 1) + op + dk; // output size without padding
            if (outputShape != null || autoPad == WindowAttributes.AutoPad.SAME_UPPER
                    || autoPad == WindowAttributes.AutoPad.SAME_LOWER) {
                out[i] = outputShape != null ? outputShape[outputShape.length - n + i] : in[i] < 0 ? -1 : in[i] * s[i];
                int total = full < 0 || out[i] < 0 ? 0 : Math.max(0, full - out[i]); // a larger output is zero at the end
                pb[i] = autoPad == WindowAttributes.AutoPad.SAME_UPPER ? total / 2 : total - total / 2;
                pe[i] = total - pb[i];
            } else {
                if (pads != null && autoPad != WindowAttributes.AutoPad.VALID) {
                    pb[i] = pads[i];
                    pe[i] = pads[i + n];
                }
                out[i] = full < 0 ? -1 : full - pb[i] - pe[i];
            }
        }
        return new ConvGeometry(out, kernel, s, d, pb, pe, in);
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] in) {
        Tensor x = in[0];
        Tensor w = in[1];
        Tensor b = in.length > 2 ? in[2] : null;
        if (x.dataType() != DataType.FLOAT || w.dataType() != DataType.FLOAT) {
            throw new UnsupportedOperationException("ConvTranspose does not support " + x.dataType() + " input");
        }
        ConvGeometry g = geometry(x.dims(), w.dims());
        int n = x.dim(0);
        int c = x.dim(1);
        if (c % group != 0 || w.dim(0) != c) {
            throw new IllegalArgumentException("input W " + Shapes.str(w.dims()) + " must have C = " + c
                    + " at dim 0, divisible by attribute 'group' " + group);
        }
        for (int i = 0; i < g.rank(); i++) {
            if (g.image()[i] <= 0) {
                throw new IllegalArgumentException("output spatial dims " + Shapes.str(g.image()) + " must be positive");
            }
        }
        int m = w.dim(1) * group;
        Conv.checkBias(b, m);
        int outSize = g.imageSize();
        float[] y = new float[n * m * outSize];
        float[] xs = x.floatData();
        float[] ws = w.floatData();
        int tasks = n * group;
        int colSize = w.dim(1) * g.kernelSize() * g.outSize();
        ExecContext inner = ctx.threads() > 1 && tasks >= ctx.threads() ? ExecContext.serial() : ctx;
        ctx.parallelFor(tasks, inner == ctx ? tasks : 1, (from, to) -> {
            float[] col = new float[colSize];
            for (int t = from; t < to; t++) {
                product(inner, g, t / group, t % group, c, m, xs, ws, y, col);
            }
        });
        if (b != null) {
            float[] bias = b.floatData();
            for (int i = 0; i < n * m; i++) {
                float bv = bias[i % m];
                for (int j = i * outSize, end = j + outSize; j < end; j++) {
                    y[j] += bv;
                }
            }
        }
        int[] shape = Conv.partial(x.dims(), m, g.image());
        activation.apply(y, 0, y.length);
        return new Tensor[] {Tensor.of(DataType.FLOAT, shape, y)};
    }

    /** Y[img, group gi] += col2im(W[gi]^T * X[img, group gi]). */
    private void product(ExecContext ctx, ConvGeometry g, int img, int gi, int c, int m, float[] xs, float[] ws,
                         float[] y, float[] col) {
        int cg = c / group;
        int mg = m / group;
        int rows = mg * g.kernelSize();
        int inSize = g.outSize();
        Sgemm.get().sgemm(true, false, rows, inSize, cg, 1f, ws, gi * cg * rows, rows,
                xs, (img * c + gi * cg) * inSize, inSize, 0f, col, 0, inSize, ctx);
        Im2Col.col2im(ctx, g, col, mg, y, (img * m + gi * mg) * g.imageSize());
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        ValueType x = ctx.input(0);
        ValueType w = ctx.input(1);
        if (!x.hasRank() || !w.hasRank()) {
            return new ValueType[] {new ValueType(x.type(), null)};
        }
        int[] ws = w.shape();
        int m = ws[1] < 0 ? -1 : ws[1] * group;
        if (kernelShape == null) {
            for (int i = 2; i < ws.length; i++) {
                if (ws[i] < 0) {
                    return new ValueType[] {new ValueType(x.type(), Conv.partial(x.shape(), m, null))};
                }
            }
        }
        ConvGeometry g = geometry(x.shape(), ws);
        return new ValueType[] {new ValueType(x.type(), Conv.partial(x.shape(), m, g.image()))};
    }
}
