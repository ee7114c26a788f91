package dev.continuum.engine.internal.ops.tensor;

import dev.continuum.engine.internal.ops.OpRegistry;

/**
 * Registers the kernels of this package: data movement, shapes and reductions. Since-versions are
 * those of ONNX's changelog up to opset 25; a version whose semantics differ (an attribute that
 * became an input) has its own factory.
 */
public final class TensorOps {
    private TensorOps() {
    }

    public static void register(OpRegistry r) {
        registerShapes(r);
        registerMovement(r);
        registerReductions(r);
    }

    private static void registerShapes(OpRegistry r) {
        r.register("Reshape", new int[] {5, 13, 14, 19, 21, 23, 24, 25}, Reshape::new);
        r.register("Flatten", new int[] {1, 9, 11, 13, 21, 23, 24, 25}, Flatten::new);
        r.register("Squeeze", new int[] {1, 11}, Squeeze::fromAttribute);
        r.register("Squeeze", new int[] {13, 21, 23, 24, 25}, Squeeze::fromInput);
        r.register("Unsqueeze", new int[] {1, 11}, Unsqueeze::fromAttribute);
        r.register("Unsqueeze", new int[] {13, 21, 23, 24, 25}, Unsqueeze::fromInput);
        r.register("Shape", new int[] {1, 13, 15, 19, 21, 23, 24, 25}, Shape::new);
        r.register("Size", new int[] {1, 13, 19, 21, 23, 24, 25}, Size::new);
        r.register("Constant", new int[] {1, 9, 11, 12, 13, 19, 21, 23, 24, 25}, Constant::new);
        r.register("ConstantOfShape", new int[] {9, 20, 21, 23, 24, 25}, ConstantOfShape::new);
        r.register("Range", new int[] {11}, Range::new);
    }

    private static void registerMovement(OpRegistry r) {
        r.register("Transpose", new int[] {1, 13, 21, 23, 24, 25}, Transpose::new);
        r.register("Concat", new int[] {4, 11, 13}, Concat::new);
        r.register("Split", new int[] {2, 11}, Split::fromAttribute);
        r.register("Split", new int[] {13}, Split::fromInput);
        r.register("Split", new int[] {18}, Split::withNumOutputs);
        r.register("Slice", new int[] {1}, Slice::fromAttributes);
        r.register("Slice", new int[] {10, 11, 13}, Slice::fromInputs);
        r.register("Gather", new int[] {1, 11, 13}, Gather::new);
        r.register("GatherElements", new int[] {11, 13}, GatherElements::new);
        r.register("Expand", new int[] {8, 13}, Expand::new);
        r.register("Tile", new int[] {6, 13}, Tile::new);
        r.register("Pad", new int[] {2}, Pad::fromAttributes);
        r.register("Pad", new int[] {11, 13, 18, 19, 21, 23, 24, 25}, Pad::fromInputs);
        r.register("CumSum", new int[] {11, 14}, CumSum::new);
        r.register("Trilu", new int[] {14}, Trilu::new);
        r.register("Resize", new int[] {10}, Resize::opset10);
        r.register("Resize", new int[] {11, 13, 18, 19}, Resize::opset11);
    }

    private static void registerReductions(OpRegistry r) {
        r.register("ReduceSum", new int[] {1, 11}, ReduceSum::fromAttribute);
        r.register("ReduceSum", new int[] {13}, ReduceSum::fromInput);
        r.register("ReduceMean", new int[] {1, 11, 13}, ReduceMean::fromAttribute);
        r.register("ReduceMean", new int[] {18}, ReduceMean::fromInput);
        r.register("ReduceMax", new int[] {1, 11, 12, 13}, ReduceMax::fromAttribute);
        r.register("ReduceMax", new int[] {18, 20}, ReduceMax::fromInput);
        r.register("ReduceMin", new int[] {1, 11, 12, 13}, ReduceMin::fromAttribute);
        r.register("ReduceMin", new int[] {18, 20}, ReduceMin::fromInput);
        r.register("ArgMax", new int[] {1, 11, 12, 13}, ArgMax::new);
    }
}
