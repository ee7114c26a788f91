package dev.continuum.engine.internal.ops.math;

import dev.continuum.engine.DataType;
import dev.continuum.engine.internal.Node;
import dev.continuum.engine.internal.ops.Kernel;
import java.util.EnumSet;

/** Factories of the unary math and activation kernels, reading their attributes once. */
final class UnaryOps {
    private static final double SQRT_2_OVER_PI = 0.7978845608028654;
    private static final double SQRT_HALF = 0.7071067811865476;

    private UnaryOps() {
    }

    static Kernel sqrt(Node n) {
        return new UnaryKernel("Sqrt", Math::sqrt, FloatKernels.Unary.SQRT);
    }

    static Kernel exp(Node n) {
        return new UnaryKernel("Exp", Math::exp, FloatKernels.Unary.EXP);
    }

    static Kernel log(Node n) {
        return new UnaryKernel("Log", Math::log);
    }

    static Kernel reciprocal(Node n) {
        return new UnaryKernel("Reciprocal", x -> 1.0 / x);
    }

    static Kernel floor(Node n) {
        return new UnaryKernel("Floor", Math::floor);
    }

    static Kernel ceil(Node n) {
        return new UnaryKernel("Ceil", Math::ceil);
    }

    /** Round half to even. */
    static Kernel round(Node n) {
        return new UnaryKernel("Round", Math::rint);
    }

    static Kernel sin(Node n) {
        return new UnaryKernel("Sin", Math::sin);
    }

    static Kernel cos(Node n) {
        return new UnaryKernel("Cos", Math::cos);
    }

    static Kernel tanh(Node n) {
        return new UnaryKernel("Tanh", Math::tanh, FloatKernels.Unary.TANH);
    }

    static Kernel erf(Node n) {
        return new UnaryKernel("Erf", new UnaryFn() {
            public double d(double x) {
                return ErfMath.erf(x);
            }

            @Override
            public float f(float x) {
                return (float) ErfMath.erfForFloat(x);
            }
        }, FloatKernels.Unary.ERF);
    }

    static Kernel sigmoid(Node n) {
        return new UnaryKernel("Sigmoid", UnaryOps::sigmoid, FloatKernels.Unary.SIGMOID);
    }

    static Kernel neg(Node n) {
        return new UnaryKernel("Neg", x -> -x, x -> -x, UnaryKernel.SIGNED);
    }

    /** Unsigned values below 64 bits are zero-extended, so their absolute value is themselves. */
    static Kernel abs(Node n) {
        EnumSet<DataType> types = EnumSet.copyOf(UnaryKernel.INTEGERS);
        types.remove(DataType.UINT64);
        return new UnaryKernel("Abs", Math::abs, x -> x < 0 ? -x : x, types);
    }

    static Kernel relu(Node n) {
        return new UnaryKernel("Relu", new UnaryFn() {
            public double d(double x) {
                return x > 0 ? x : x == x ? 0.0 : x;
            }

            @Override
            public float f(float x) {
                return x > 0 ? x : x == x ? 0f : x;
            }
        }, x -> Math.max(x, 0), UnaryKernel.SIGNED, FloatKernels.Unary.RELU);
    }

    static Kernel leakyRelu(Node n) {
        double alpha = n.attributes().getFloat("alpha", 0.01f);
        return new UnaryKernel("LeakyRelu", x -> x < 0 ? alpha * x : x);
    }

    static Kernel hardSigmoid(Node n) {
        double alpha = n.attributes().getFloat("alpha", 0.2f);
        double beta = n.attributes().getFloat("beta", 0.5f);
        return new UnaryKernel("HardSigmoid", x -> Math.max(0.0, Math.min(1.0, alpha * x + beta)));
    }

    static Kernel hardSwish(Node n) {
        return new UnaryKernel("HardSwish", x -> x * Math.max(0.0, Math.min(1.0, x / 6.0 + 0.5)));
    }

    static Kernel gelu(Node n) {
        String approximate = n.attributes().getString("approximate", "none");
        return switch (approximate) {
            case "none" -> new UnaryKernel("Gelu", new UnaryFn() {
                public double d(double x) {
                    return 0.5 * x * (1.0 + ErfMath.erf(x * SQRT_HALF));
                }

                @Override
                public float f(float x) {
                    return (float) (0.5 * x * (1.0 + ErfMath.erfForFloat(x * SQRT_HALF)));
                }
            }, FloatKernels.Unary.GELU);
            case "tanh" -> new UnaryKernel("Gelu",
                    x -> 0.5 * x * (1.0 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))),
                    FloatKernels.Unary.GELU_TANH);
            default -> throw new IllegalArgumentException("attribute 'approximate' is '" + approximate
                    + "', expected 'none' or 'tanh'");
        };
    }

    private static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }
}
