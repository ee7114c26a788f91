package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.internal.Node;

/** ONNX ReduceMin (axes attribute before 18, input since 18); NaN propagates, an empty reduction is +inf (the greatest integer for integers). */
final class ReduceMin extends Reduction {
    private ReduceMin(Node node, boolean axesFromInput) {
        super("ReduceMin", node, axesFromInput);
    }

    static ReduceMin fromAttribute(Node node) {
        return new ReduceMin(node, false);
    }

    static ReduceMin fromInput(Node node) {
        return new ReduceMin(node, true);
    }

    @Override
    void reduce(double[] x, int[] to, double[] out, int count) {
        java.util.Arrays.fill(out, Double.POSITIVE_INFINITY);
        for (int i = 0; i < x.length; i++) {
            out[to[i]] = Math.min(out[to[i]], x[i]);
        }
    }

    @Override
    void reduce(long[] x, int[] to, long[] out, int count) {
        java.util.Arrays.fill(out, Long.MAX_VALUE);
        for (int i = 0; i < x.length; i++) {
            out[to[i]] = Math.min(out[to[i]], x[i]);
        }
    }

    @Override
    float reduceRow(float[] x, int off, int count) {
        float m = Float.POSITIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            m = Math.min(m, x[off + i]);
        }
        return m;
    }
}
