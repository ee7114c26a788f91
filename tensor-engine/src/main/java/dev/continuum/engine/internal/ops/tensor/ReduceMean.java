package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.internal.Node;

/** ONNX ReduceMean (axes attribute before 18, input since 18); integer means truncate, an empty one is NaN. */
final class ReduceMean extends Reduction {
    private ReduceMean(Node node, boolean axesFromInput) {
        super("ReduceMean", node, axesFromInput);
    }

    static ReduceMean fromAttribute(Node node) {
        return new ReduceMean(node, false);
    }

    static ReduceMean fromInput(Node node) {
        return new ReduceMean(node, true);
    }

    @Override
    void reduce(double[] x, int[] to, double[] out, int count) {
        for (int i = 0; i < x.length; i++) {
            out[to[i]] += x[i];
        }
        for (int j = 0; j < out.length; j++) {
            out[j] /= count;
        }
    }

    @Override
    void reduce(long[] x, int[] to, long[] out, int count) {
        for (int i = 0; i < x.length; i++) {
            out[to[i]] += x[i];
        }
        for (int j = 0; j < out.length && count > 0; j++) {
            out[j] /= count;
        }
    }

    @Override
    float reduceRow(float[] x, int off, int count) {
        double s = 0;
        for (int i = 0; i < count; i++) {
            s += x[off + i];
        }
        return (float) (s / count);
    }
}
