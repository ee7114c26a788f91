package dev.continuum.engine.internal;

import dev.continuum.engine.internal.ops.ValueType;
import java.util.function.Function;

/**
 * Floating-point operations of one node at batch 1, counted as 2 per multiply-accumulate for the
 * contraction ops and 1 per output element for everything else. Unknown dimensions count as 1;
 * values whose rank is unknown contribute nothing.
 */
final class FlopEstimator {
    private FlopEstimator() {
    }

    static long estimate(Node n, Function<String, ValueType> types) {
        ValueType out = n.hasOutput(0) ? types.apply(n.outputs().get(0)) : ValueType.unknown();
        switch (n.opType()) {
            case "Conv", "ConvInteger", "QLinearConv" -> {
                ValueType w = types.apply(n.inputs().get(n.opType().equals("QLinearConv") ? 3 : 1));
                if (!out.hasRank() || !w.hasRank()) {
                    return 0;
                }
                return 2 * size(out.shape()) * (size(w.shape()) / Math.max(1, dim(w.shape(), 0)));
            }
            case "ConvTranspose" -> {
                ValueType x = types.apply(n.inputs().get(0));
                ValueType w = types.apply(n.inputs().get(1));
                if (!x.hasRank() || !w.hasRank()) {
                    return 0;
                }
                return 2 * size(x.shape()) * (size(w.shape()) / Math.max(1, dim(w.shape(), 0)));
            }
            case "MatMul", "MatMulInteger", "QLinearMatMul", "Gemm" -> {
                ValueType a = types.apply(n.inputs().get(0));
                if (!out.hasRank() || !a.hasRank() || a.rank() == 0) {
                    return 0;
                }
                int k;
                if (n.opType().equals("Gemm")) {
                    k = n.attributes().getInt("transA", 0) != 0 ? dim(a.shape(), 0) : dim(a.shape(), a.rank() - 1);
                } else {
                    k = dim(a.shape(), a.rank() - 1);
                }
                return 2 * size(out.shape()) * k;
            }
            case "LSTM", "GRU", "RNN" -> {
                ValueType x = types.apply(n.inputs().get(0));
                ValueType w = types.apply(n.inputs().get(1));
                ValueType r = types.apply(n.inputs().get(2));
                if (!x.hasRank() || !w.hasRank() || !r.hasRank() || x.rank() < 3) {
                    return 0;
                }
                long steps = (long) dim(x.shape(), 0) * dim(x.shape(), 1);
                return 2 * steps * (size(w.shape()) + size(r.shape()));
            }
            default -> {
                return out.hasRank() ? size(out.shape()) : 0;
            }
        }
    }

    private static int dim(int[] shape, int i) {
        return shape[i] < 0 ? 1 : shape[i];
    }

    private static long size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d < 0 ? 1 : d;
        }
        return n;
    }
}
