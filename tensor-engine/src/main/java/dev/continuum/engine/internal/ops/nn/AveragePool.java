package dev.continuum.engine.internal.ops.nn;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/**
 * ONNX AveragePool over 1 to 3 spatial dims (pads, auto_pad, strides, ceil_mode, dilations from
 * opset 19). Each window's sum is divided by its element count inside the input, or with
 * {@code count_include_pad = 1} inside the padded input.
 */
final class AveragePool implements Kernel {
    private final WindowAttributes window;
    private final boolean countIncludePad;
    private volatile Pools.Plan last;

    AveragePool(Node node) {
        window = new WindowAttributes(node.attributes(), true);
        countIncludePad = node.attributes().getInt("count_include_pad", 0) != 0;
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] in) {
        Tensor x = in[0];
        if (x.dataType() == DataType.FLOAT && x.rank() == 4) {
            Pools.Plan p = last;
            if (p == null || !java.util.Arrays.equals(p.xDims(), x.dims())) {
                p = Pools.Plan.of(window, x.dims());
                p = p.withDivisor(divisors(p.windows()));
                last = p;
            }
            if (p.phases() != null) {
                float[] y = Pools.poolPhases(ctx, p.phases(), x.dim(0) * x.dim(1), x.floatData(), false, p.divisor());
                return new Tensor[] {Tensor.of(DataType.FLOAT, Pools.outShape(x.dims(), p.g()), y)};
            }
        }
        ConvGeometry g = Pools.geometry(window, x.dims());
        PoolWindows w = new PoolWindows(g);
        int planes = x.dim(0) * x.dim(1);
        int[] outShape = Pools.outShape(x.dims(), g);
        double[] sums = new double[planes * w.outSize()];
        switch (x.dataType()) {
            case FLOAT -> sum(ctx, w, planes, x.floatData(), null, sums);
            case DOUBLE -> sum(ctx, w, planes, null, x.doubleData(), sums);
            default -> throw new UnsupportedOperationException("AveragePool does not support " + x.dataType() + " input");
        }
        if (x.dataType() == DataType.DOUBLE) {
            return new Tensor[] {Tensor.of(DataType.DOUBLE, outShape, sums)};
        }
        float[] y = new float[sums.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) sums[i];
        }
        return new Tensor[] {Tensor.of(DataType.FLOAT, outShape, y)};
    }

    /** sums[o] = mean of window o, reading xf (or xd when xf is null). */
    private void sum(ExecContext ctx, PoolWindows w, int planes, float[] xf, double[] xd, double[] sums) {
        ctx.parallelForWork(planes, 4L * (w.inSize() + w.outSize()), (from, to) -> {
            for (int p = from; p < to; p++) {
                int base = p * w.inSize();
                int o = p * w.outSize();
                for (int od = 0; od < w.out[0]; od++) {
                    for (int oh = 0; oh < w.out[1]; oh++) {
                        for (int ow = 0; ow < w.out[2]; ow++, o++) {
                            double s = 0;
                            for (int id : w.coords[0][od]) {
                                for (int ih : w.coords[1][oh]) {
                                    int row = base + (id * w.in[1] + ih) * w.in[2];
                                    for (int iw : w.coords[2][ow]) {
                                        s += xf != null ? xf[row + iw] : xd[row + iw];
                                    }
                                }
                            }
                            sums[o] = s / count(w, od, oh, ow);
                        }
                    }
                }
            }
        });
    }

    /** The element count of every window of a 2-D pool, row-major over (outH, outW). */
    private float[] divisors(PoolWindows w) {
        float[] d = new float[w.out[1] * w.out[2]];
        for (int oh = 0; oh < w.out[1]; oh++) {
            for (int ow = 0; ow < w.out[2]; ow++) {
                d[oh * w.out[2] + ow] = count(w, 0, oh, ow);
            }
        }
        return d;
    }

    private int count(PoolWindows w, int od, int oh, int ow) {
        if (countIncludePad) {
            return w.paddedCounts[0][od] * w.paddedCounts[1][oh] * w.paddedCounts[2][ow];
        }
        return w.coords[0][od].length * w.coords[1][oh].length * w.coords[2][ow].length;
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        ValueType x = ctx.input(0);
        return new ValueType[] {new ValueType(x.type(), Pools.inferShape(window, x.shape()))};
    }
}
