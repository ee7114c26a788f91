package dev.continuum.engine.internal.ops.nn;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Kernel;
import dev.continuum.engine.internal.ops.TypeContext;
import dev.continuum.engine.internal.ops.ValueType;

/**
 * ONNX MaxPool over 1 to 3 spatial dims (pads, auto_pad, strides, dilations, ceil_mode), with the
 * optional Indices output: flat int64 positions in X, the spatial part row-major or, with
 * {@code storage_order = 1}, column-major.
 */
final class MaxPool implements Kernel {
    private final WindowAttributes window;
    private final boolean columnMajor;
    private final boolean wantIndices;
    private volatile Pools.Plan last;

    MaxPool(Node node) {
        window = new WindowAttributes(node.attributes(), true);
        long order = node.attributes().getInt("storage_order", 0);
        if (order != 0 && order != 1) {
            throw new IllegalArgumentException("attribute 'storage_order' must be 0 or 1, got " + order);
        }
        columnMajor = order == 1;
        wantIndices = node.outputCount() > 1 && node.hasOutput(1);
    }

    @Override
    public Tensor[] compute(ExecContext ctx, Tensor[] in) {
        Tensor x = in[0];
        if (!wantIndices && x.dataType() == DataType.FLOAT && x.rank() == 4) {
            Pools.Plan p = last;
            if (p == null || !java.util.Arrays.equals(p.xDims(), x.dims())) {
                p = Pools.Plan.of(window, x.dims());
                last = p;
            }
            if (is2x2Stride2(p.g(), x.dims())) {
                float[] y = Pools.maxPool2x2(ctx, x.dim(0) * x.dim(1), x.dim(2), x.dim(3), p.g().out()[0],
                        p.g().out()[1], x.floatData());
                return new Tensor[] {Tensor.of(DataType.FLOAT, Pools.outShape(x.dims(), p.g()), y), null};
            }
            if (p.direct3x3() != null) {
                float[] y = Pools.maxPool3x3(ctx, p.direct3x3(), x.dim(0) * x.dim(1), x.floatData());
                return new Tensor[] {Tensor.of(DataType.FLOAT, Pools.outShape(x.dims(), p.g()), y), null};
            }
            if (p.phases() != null) {
                float[] y = Pools.poolPhases(ctx, p.phases(), x.dim(0) * x.dim(1), x.floatData(), true, null);
                return new Tensor[] {Tensor.of(DataType.FLOAT, Pools.outShape(x.dims(), p.g()), y), null};
            }
        }
        ConvGeometry g = Pools.geometry(window, x.dims());
        PoolWindows w = new PoolWindows(g);
        int planes = x.dim(0) * x.dim(1);
        int[] outShape = Pools.outShape(x.dims(), g);
        long[] indices = new long[planes * w.outSize()];
        DataType t = x.dataType();
        Object y = switch (t) {
            case FLOAT -> pool(ctx, w, planes, x.floatData(), null, indices);
            case DOUBLE -> pool(ctx, w, planes, null, x.doubleData(), indices);
            case INT8, UINT8 -> Pools.toBytes((float[]) pool(ctx, w, planes, Pools.toFloats(x), null, indices));
            default -> throw new UnsupportedOperationException("MaxPool does not support " + t + " input");
        };
        return new Tensor[] {Tensor.of(t, outShape, y), Tensor.of(DataType.INT64, outShape, indices)};
    }

    /** 2x2 windows at stride 2, no pads or dilation, every window inside the image (LeNet's, VGG's pools). */
    private static boolean is2x2Stride2(ConvGeometry g, int[] x) {
        return g.kernel().length == 2 && g.kernel()[0] == 2 && g.kernel()[1] == 2 && g.strides()[0] == 2
                && g.strides()[1] == 2 && g.dilations()[0] == 1 && g.dilations()[1] == 1 && g.padBegin()[0] == 0
                && g.padBegin()[1] == 0 && g.padEnd()[0] == 0 && g.padEnd()[1] == 0
                && 2 * g.out()[0] <= x[2] && 2 * g.out()[1] <= x[3];
    }

    /**
     * The max of every window, reading xf (or xd when xf is null), and its Indices value. Returns a
     * float[] for xf, else a double[]; floats are compared as doubles, which keeps their order.
     */
    private Object pool(ExecContext ctx, PoolWindows w, int planes, float[] xf, double[] xd, long[] indices) {
        float[] yf = xf != null ? new float[indices.length] : null;
        double[] yd = xf == null ? new double[indices.length] : null;
        ctx.parallelForWork(planes, 4L * (w.inSize() + w.outSize()), (from, to) -> {
            for (int p = from; p < to; p++) {
                int base = p * w.inSize();
                int o = p * w.outSize();
                for (int od = 0; od < w.out[0]; od++) {
                    for (int oh = 0; oh < w.out[1]; oh++) {
                        for (int ow = 0; ow < w.out[2]; ow++, o++) {
                            double best = Double.NEGATIVE_INFINITY;
                            int arg = -1;
                            for (int id : w.coords[0][od]) {
                                for (int ih : w.coords[1][oh]) {
                                    int row = (id * w.in[1] + ih) * w.in[2];
                                    for (int iw : w.coords[2][ow]) {
                                        double v = xf != null ? xf[base + row + iw] : xd[base + row + iw];
                                        if (v > best || arg < 0) {
                                            best = v;
                                            arg = row + iw;
                                        }
                                    }
                                }
                            }
                            if (yf != null) {
                                yf[o] = (float) best;
                            } else {
                                yd[o] = best;
                            }
                            indices[o] = index(w, p, arg);
                        }
                    }
                }
            }
        });
        return xf != null ? yf : yd;
    }

    /** The Indices value of in-plane row-major position {@code arg} of plane {@code p}. */
    private long index(PoolWindows w, int p, int arg) {
        if (arg < 0) {
            return -1;
        }
        long planeBase = (long) p * w.inSize();
        if (!columnMajor) {
            return planeBase + arg;
        }
        int iw = arg % w.in[2];
        int ih = arg / w.in[2] % w.in[1];
        int id = arg / (w.in[2] * w.in[1]);
        return planeBase + id + (long) ih * w.in[0] + (long) iw * w.in[0] * w.in[1];
    }

    @Override
    public ValueType[] inferTypes(TypeContext ctx) {
        ValueType x = ctx.input(0);
        int[] shape = Pools.inferShape(window, x.shape());
        return new ValueType[] {new ValueType(x.type(), shape), new ValueType(DataType.INT64, shape)};
    }
}
