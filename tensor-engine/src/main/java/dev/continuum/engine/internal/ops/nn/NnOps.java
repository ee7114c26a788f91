package dev.continuum.engine.internal.ops.nn;

import dev.continuum.engine.internal.ops.OpRegistry;

/** Registers the kernels of this package. */
public final class NnOps {
    private NnOps() {
    }

    public static void register(OpRegistry r) {
        r.register("Gemm", new int[] {7, 9, 11, 13}, Gemm::new);
        r.register("MatMul", new int[] {1, 9, 13}, MatMul::new);
        r.register("Conv", new int[] {1, 11, 22}, Conv::new);
        r.register("ConvTranspose", new int[] {1, 11, 22}, ConvTranspose::new);
        r.register("MaxPool", new int[] {1, 8, 10, 11, 12, 22}, MaxPool::new);
        r.register("AveragePool", new int[] {1, 7, 10, 11, 19, 22}, AveragePool::new);
        r.register("GlobalAveragePool", new int[] {1, 22}, GlobalPool::average);
        r.register("GlobalMaxPool", new int[] {1, 22}, GlobalPool::max);
        r.register("BatchNormalization", new int[] {7, 9, 14, 15}, BatchNormalization::new);
        r.register("InstanceNormalization", new int[] {1, 6, 22}, InstanceNormalization::new);
        r.register("LayerNormalization", 17, LayerNormalization::new);
        // Before opset 13 Softmax coerces the input to 2-D at 'axis'; from 13 it runs along one axis.
        r.register("Softmax", new int[] {1, 11}, Softmax::softmax1);
        r.register("Softmax", 13, Softmax::softmax13);
        r.register("LogSoftmax", new int[] {1, 11}, Softmax::logSoftmax1);
        r.register("LogSoftmax", 13, Softmax::logSoftmax13);
    }
}
