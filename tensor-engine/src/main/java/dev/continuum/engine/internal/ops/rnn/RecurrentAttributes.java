package dev.continuum.engine.internal.ops.rnn;

import dev.continuum.engine.internal.Attributes;
import dev.continuum.engine.internal.Node;
import java.util.Locale;

/**
 * The attributes RNN, GRU and LSTM share, read and validated once.
 *
 * @param hiddenSize the {@code hidden_size} attribute, or -1 when absent (then taken from R)
 * @param clip the cell clip threshold, or +infinity when absent
 * @param layout 0: sequence-major tensors, 1: batch-major tensors (opset 14)
 * @param activations the activation functions of each direction
 */
record RecurrentAttributes(Direction direction, int hiddenSize, float clip, int layout, Activation[][] activations) {

    /** The {@code direction} attribute. */
    enum Direction {
        FORWARD, REVERSE, BIDIRECTIONAL;

        int count() {
            return this == BIDIRECTIONAL ? 2 : 1;
        }

        /** Whether direction index {@code d} runs from the end of the sequence to its start. */
        boolean reversed(int d) {
            return this == REVERSE || d == 1;
        }
    }

    static RecurrentAttributes read(Node node, Activation[] defaultActivations) {
        Attributes a = node.attributes();
        Direction direction = direction(a.getString("direction", "forward"));
        long hidden = a.getInt("hidden_size", -1);
        if (a.has("hidden_size") && (hidden <= 0 || hidden > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("attribute 'hidden_size' must be positive, got " + hidden);
        }
        float clip = a.getFloat("clip", Float.POSITIVE_INFINITY);
        if (!(clip > 0)) {
            throw new IllegalArgumentException("attribute 'clip' must be positive, got " + clip);
        }
        long layout = a.getInt("layout", 0);
        if (layout != 0 && layout != 1) {
            throw new IllegalArgumentException("attribute 'layout' must be 0 or 1, got " + layout);
        }
        Activation[][] acts = Activation.parse(a.getStrings("activations", null),
                a.getFloats("activation_alpha", null), a.getFloats("activation_beta", null),
                defaultActivations, direction.count());
        return new RecurrentAttributes(direction, (int) hidden, clip, (int) layout, acts);
    }

    private static Direction direction(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "forward" -> Direction.FORWARD;
            case "reverse" -> Direction.REVERSE;
            case "bidirectional" -> Direction.BIDIRECTIONAL;
            default -> throw new IllegalArgumentException(
                    "attribute 'direction' must be forward, reverse or bidirectional, got '" + s + "'");
        };
    }

    boolean clips() {
        return clip != Float.POSITIVE_INFINITY;
    }

    /** Clamps {@code v[from, from + n)} to [-clip, clip] when a clip is set. */
    void clip(float[] v, int from, int n) {
        if (!clips()) {
            return;
        }
        for (int i = from; i < from + n; i++) {
            v[i] = Math.max(-clip, Math.min(clip, v[i]));
        }
    }
}
