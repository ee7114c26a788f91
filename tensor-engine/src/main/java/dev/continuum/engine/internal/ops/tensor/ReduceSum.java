package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.internal.Node;

/** ONNX ReduceSum (axes attribute before 13, input since 13); an empty reduction is 0. */
final class ReduceSum extends Reduction {
    private ReduceSum(Node node, boolean axesFromInput) {
        super("ReduceSum", node, axesFromInput);
    }

    static ReduceSum fromAttribute(Node node) {
        return new ReduceSum(node, false);
    }

    static ReduceSum fromInput(Node node) {
        return new ReduceSum(node, true);
    }

    @Override
    void reduce(double[] x, int[] to, double[] out, int count) {
        for (int i = 0; i < x.length; i++) {
            out[to[i]] += x[i];
        }
    }

    @Override
    void reduce(long[] x, int[] to, long[] out, int count) {
        for (int i = 0; i < x.length; i++) {
            out[to[i]] += x[i];
        }
    }

    @Override
    float reduceRow(float[] x, int off, int count) {
        double s = 0;
        for (int i = 0; i < count; i++) {
            s += x[off + i];
        }
        return (float) s;
    }
}
