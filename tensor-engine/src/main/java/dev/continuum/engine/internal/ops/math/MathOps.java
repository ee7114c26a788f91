package dev.continuum.engine.internal.ops.math;

import dev.continuum.engine.internal.ops.OpRegistry;

/**
 * Registers the kernels of this package: elementwise arithmetic, activations, comparisons, logic and
 * casts. Since-versions list every ONNX change from opset 7 on (the earliest entry is the version in
 * force at opset 7); kernels serve the added types of later versions too.
 */
public final class MathOps {
    private MathOps() {
    }

    public static void register(OpRegistry r) {
        registerArithmetic(r);
        registerUnary(r);
        registerActivations(r);
        registerLogic(r);
        registerCasts(r);
    }

    private static void registerArithmetic(OpRegistry r) {
        int[] binary = {7, 13, 14};
        r.register("Add", binary, n -> new BinaryKernel("Add", Arith.ADD));
        r.register("Sub", binary, n -> new BinaryKernel("Sub", Arith.SUB));
        r.register("Mul", binary, n -> new BinaryKernel("Mul", Arith.MUL));
        r.register("Div", binary, n -> new BinaryKernel("Div", Arith.DIV));
        r.register("Pow", new int[] {7, 12, 13, 15}, n -> new Pow());
        r.register("Sum", new int[] {6, 8, 13}, n -> new VariadicKernel("Sum", Arith.ADD));
        r.register("Min", new int[] {6, 8, 12, 13}, n -> new VariadicKernel("Min", Arith.MIN));
        r.register("Max", new int[] {6, 8, 12, 13}, n -> new VariadicKernel("Max", Arith.MAX));
        r.register("Clip", 6, Clip::withAttributes);
        r.register("Clip", new int[] {11, 12, 13}, Clip::withInputs);
    }

    private static void registerUnary(OpRegistry r) {
        int[] v6 = {6, 13};
        r.register("Sqrt", v6, UnaryOps::sqrt);
        r.register("Exp", v6, UnaryOps::exp);
        r.register("Log", v6, UnaryOps::log);
        r.register("Neg", v6, UnaryOps::neg);
        r.register("Reciprocal", v6, UnaryOps::reciprocal);
        r.register("Abs", v6, UnaryOps::abs);
        r.register("Floor", v6, UnaryOps::floor);
        r.register("Ceil", v6, UnaryOps::ceil);
        r.register("Round", new int[] {11, 22}, UnaryOps::round);
        r.register("Sin", new int[] {7, 22}, UnaryOps::sin);
        r.register("Cos", new int[] {7, 22}, UnaryOps::cos);
        r.register("Erf", new int[] {9, 13}, UnaryOps::erf);
    }

    private static void registerActivations(OpRegistry r) {
        r.register("Relu", new int[] {6, 13, 14}, UnaryOps::relu);
        r.register("LeakyRelu", new int[] {6, 16}, UnaryOps::leakyRelu);
        r.register("PRelu", new int[] {7, 9, 16}, n -> new BinaryKernel("PRelu", Arith.PRELU));
        r.register("Sigmoid", new int[] {6, 13}, UnaryOps::sigmoid);
        r.register("HardSigmoid", new int[] {6, 22}, UnaryOps::hardSigmoid);
        r.register("HardSwish", new int[] {14, 22}, UnaryOps::hardSwish);
        r.register("Tanh", new int[] {6, 13}, UnaryOps::tanh);
        r.register("Gelu", 20, UnaryOps::gelu);
    }

    private static void registerLogic(OpRegistry r) {
        r.register("Equal", new int[] {7, 11, 13, 19}, n -> new Compare("Equal", Compare.Kind.EQUAL));
        r.register("Less", new int[] {7, 9, 13}, n -> new Compare("Less", Compare.Kind.LESS));
        r.register("Greater", new int[] {7, 9, 13}, n -> new Compare("Greater", Compare.Kind.GREATER));
        r.register("Not", 1, Logic::not);
        r.register("And", 7, Logic::and);
        r.register("Where", new int[] {9, 16}, Where::create);
    }

    private static void registerCasts(OpRegistry r) {
        r.register("Cast", new int[] {6, 9, 13, 19, 21, 23, 24, 25}, Cast::create);
        r.register("CastLike", new int[] {15, 19, 21, 23, 24, 25}, Cast::like);
        r.register("Identity", new int[] {1, 13, 14, 16, 19, 21, 23, 24, 25}, PassThrough::identity);
        r.register("Dropout", 7, PassThrough::dropout7);
        r.register("Dropout", new int[] {10, 12, 13, 22}, PassThrough::dropout);
    }
}
