package dev.continuum.engine.internal.ops.rnn;

import java.util.Locale;

/**
 * One activation function of a recurrent op's {@code activations} attribute, with its alpha and
 * beta (ONNX defaults when the op does not give them).
 */
record Activation(Kind kind, float alpha, float beta) {

    /** The functions ONNX allows in {@code activations}. */
    enum Kind {
        RELU(false, false, 0, 0),
        TANH(false, false, 0, 0),
        SIGMOID(false, false, 0, 0),
        AFFINE(true, true, 1f, 0f),
        LEAKYRELU(true, false, 0.01f, 0),
        THRESHOLDEDRELU(true, false, 1f, 0),
        SCALEDTANH(true, true, 1f, 1f),
        HARDSIGMOID(true, true, 0.2f, 0.5f),
        ELU(true, false, 1f, 0),
        SOFTSIGN(false, false, 0, 0),
        SOFTPLUS(false, false, 0, 0);

        final boolean usesAlpha;
        final boolean usesBeta;
        final float defaultAlpha;
        final float defaultBeta;

        Kind(boolean usesAlpha, boolean usesBeta, float defaultAlpha, float defaultBeta) {
            this.usesAlpha = usesAlpha;
            this.usesBeta = usesBeta;
            this.defaultAlpha = defaultAlpha;
            this.defaultBeta = defaultBeta;
        }
    }

    static final Activation SIGMOID = new Activation(Kind.SIGMOID, 0, 0);
    static final Activation TANH = new Activation(Kind.TANH, 0, 0);

    /**
     * The activations of every direction, {@code perDirection} of them each, from the attribute
     * values (null when absent). Alphas and betas are consumed in order, only by the functions that
     * take them (as ONNX Runtime does). A list of {@code perDirection} names serves both directions.
     */
    static Activation[][] parse(String[] names, float[] alphas, float[] betas, Activation[] defaults,
                                int directions) {
        int per = defaults.length;
        Activation[][] out = new Activation[directions][];
        if (names == null) {
            for (int d = 0; d < directions; d++) {
                out[d] = defaults.clone();
            }
            return out;
        }
        if (names.length != per && names.length != per * directions) {
            throw new IllegalArgumentException("attribute 'activations' has " + names.length + " functions, expected "
                    + per + (directions > 1 ? " or " + per * directions : ""));
        }
        Activation[] all = new Activation[names.length];
        int a = 0;
        int b = 0;
        for (int i = 0; i < names.length; i++) {
            Kind k = kindOf(names[i]);
            float alpha = k.defaultAlpha;
            float beta = k.defaultBeta;
            if (k.usesAlpha && alphas != null && a < alphas.length) {
                alpha = alphas[a++];
            }
            if (k.usesBeta && betas != null && b < betas.length) {
                beta = betas[b++];
            }
            all[i] = new Activation(k, alpha, beta);
        }
        for (int d = 0; d < directions; d++) {
            int from = names.length == per ? 0 : d * per;
            out[d] = java.util.Arrays.copyOfRange(all, from, from + per);
        }
        return out;
    }

    private static Kind kindOf(String name) {
        try {
            return Kind.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("attribute 'activations' has unknown function '" + name + "'");
        }
    }

    /** Applies the function in place to {@code v[from, from + n)}. */
    void apply(float[] v, int from, int n) {
        int end = from + n;
        switch (kind) {
            case RELU -> {
                for (int i = from; i < end; i++) {
                    v[i] = Math.max(v[i], 0f);
                }
            }
            case TANH -> RnnMath.get().tanh(v, from, n);
            case SIGMOID -> RnnMath.get().sigmoid(v, from, n);
            default -> {
                for (int i = from; i < end; i++) {
                    v[i] = applyOther(v[i]);
                }
            }
        }
    }

    private float applyOther(float x) {
        return switch (kind) {
            case AFFINE -> alpha * x + beta;
            case LEAKYRELU -> x >= 0 ? x : alpha * x;
            case THRESHOLDEDRELU -> x > alpha ? x : 0f;
            case SCALEDTANH -> alpha * (float) Math.tanh(beta * x);
            case HARDSIGMOID -> Math.max(0f, Math.min(1f, alpha * x + beta));
            case ELU -> x >= 0 ? x : alpha * (float) (Math.exp(x) - 1.0);
            case SOFTSIGN -> x / (1f + Math.abs(x));
            case SOFTPLUS -> (float) (x > 20 ? x : Math.log1p(Math.exp(x)));
            default -> throw new IllegalStateException("unhandled activation " + kind);
        };
    }
}
