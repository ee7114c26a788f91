package dev.continuum.engine.internal.ops;

import dev.continuum.engine.internal.Attributes;

/**
 * An activation folded into the producing kernel's epilogue by the graph optimiser (see
 * {@code internal.Fusion}). The optimiser removes the activation node and sets the producer's
 * attributes {@value #ATTR_ACTIVATION} (the op type), {@value #ATTR_ALPHA} and {@value #ATTR_BETA}
 * (its parameters); the kernel reads them with {@link #from} and calls {@link #apply} on each
 * finished block of its output.
 */
public final class FusedActivation {
    public static final String ATTR_ACTIVATION = "_continuum_activation";
    public static final String ATTR_ALPHA = "_continuum_activation_alpha";
    public static final String ATTR_BETA = "_continuum_activation_beta";

    /** Activations an epilogue can apply; alpha and beta as in the ONNX op. */
    public enum Kind { NONE, RELU, CLIP, LEAKY_RELU, SIGMOID, HARD_SIGMOID, HARD_SWISH, TANH }

    private static final FusedActivation NONE = new FusedActivation(Kind.NONE, 0f, 0f);

    private final Kind kind;
    private final float alpha;
    private final float beta;

    public FusedActivation(Kind kind, float alpha, float beta) {
        this.kind = kind;
        this.alpha = alpha;
        this.beta = beta;
    }

    public static FusedActivation none() {
        return NONE;
    }

    /** The activation fused into a node, or {@link #none()}. */
    public static FusedActivation from(Attributes attributes) {
        String op = attributes.getString(ATTR_ACTIVATION, null);
        if (op == null) {
            return NONE;
        }
        Kind kind = kindOf(op);
        if (kind == null) {
            throw new IllegalArgumentException("attribute '" + ATTR_ACTIVATION + "' names unknown activation " + op);
        }
        return new FusedActivation(kind, attributes.getFloat(ATTR_ALPHA, 0f), attributes.getFloat(ATTR_BETA, 0f));
    }

    /** The kind for an ONNX op type, or null when it cannot be fused. */
    public static Kind kindOf(String opType) {
        return switch (opType) {
            case "Relu" -> Kind.RELU;
            case "Clip" -> Kind.CLIP;
            case "LeakyRelu" -> Kind.LEAKY_RELU;
            case "Sigmoid" -> Kind.SIGMOID;
            case "HardSigmoid" -> Kind.HARD_SIGMOID;
            case "HardSwish" -> Kind.HARD_SWISH;
            case "Tanh" -> Kind.TANH;
            default -> null;
        };
    }

    public Kind kind() {
        return kind;
    }

    /** The first parameter: Clip's min, LeakyRelu's and HardSigmoid's alpha. */
    public float alpha() {
        return alpha;
    }

    /** The second parameter: Clip's max, HardSigmoid's beta. */
    public float beta() {
        return beta;
    }

    public boolean isNone() {
        return kind == Kind.NONE;
    }

    /** The activation of one value. */
    public double value(double x) {
        return switch (kind) {
            case NONE -> x;
            case RELU -> Math.max(x, 0.0);
            case CLIP -> Math.min(Math.max(x, alpha), beta);
            case LEAKY_RELU -> x >= 0 ? x : alpha * x;
            case SIGMOID -> 1.0 / (1.0 + Math.exp(-x));
            case HARD_SIGMOID -> Math.max(0.0, Math.min(1.0, alpha * x + beta));
            case HARD_SWISH -> x * Math.max(0.0, Math.min(1.0, x / 6.0 + 0.5));
            case TANH -> Math.tanh(x);
        };
    }

    /** Applies the activation in place to {@code data[from, to)}. */
    public void apply(float[] data, int from, int to) {
        switch (kind) {
            case NONE -> {
            }
            case RELU -> {
                for (int i = from; i < to; i++) {
                    data[i] = Math.max(data[i], 0f);
                }
            }
            case CLIP -> {
                for (int i = from; i < to; i++) {
                    data[i] = Math.min(Math.max(data[i], alpha), beta);
                }
            }
            default -> {
                for (int i = from; i < to; i++) {
                    data[i] = (float) value(data[i]);
                }
            }
        }
    }

    /** Applies the activation in place to {@code data[from, to)} of a float64 output. */
    public void apply(double[] data, int from, int to) {
        if (kind != Kind.NONE) {
            for (int i = from; i < to; i++) {
                data[i] = value(data[i]);
            }
        }
    }

    @Override
    public String toString() {
        return kind + (kind == Kind.CLIP || kind == Kind.LEAKY_RELU || kind == Kind.HARD_SIGMOID
                ? "(" + alpha + ", " + beta + ")" : "");
    }
}
