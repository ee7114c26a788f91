package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.internal.Node;

/** ONNX ReduceMax (axes attribute before 18, input since 18); NaN propagates, an empty reduction is -inf (the least integer for integers). */
final class ReduceMax extends Reduction {
    private ReduceMax(Node node, boolean axesFromInput) {
        super("ReduceMax", node, axesFromInput);
    }

    static ReduceMax fromAttribute(Node node) {
        return new ReduceMax(node, false);
    }

    static ReduceMax fromInput(Node node) {
        return new ReduceMax(node, true);
    }

    @Override
    void reduce(double[] x, int[] to, double[] out, int count) {
        java.util.Arrays.fill(out, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < x.length; i++) {
            out[to[i]] = Math.max(out[to[i]], x[i]);
        }
    }

    @Override
    void reduce(long[] x, int[] to, long[] out, int count) {
        java.util.Arrays.fill(out, Long.MIN_VALUE);
        for (int i = 0; i < x.length; i++) {
            out[to[i]] = Math.max(out[to[i]], x[i]);
        }
    }

    @Override
    float reduceRow(float[] x, int off, int count) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            m = Math.max(m, x[off + i]);
        }
        return m;
    }
}
