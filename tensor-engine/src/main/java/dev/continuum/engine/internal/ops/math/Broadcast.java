package dev.continuum.engine.internal.ops.math;

import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Shapes;
import java.util.Arrays;

/**
 * How the operands of an elementwise op broadcast (numpy rules) onto the output, reduced to the
 * fewest dimensions: adjacent dims where every operand is either fully present or fully broadcast
 * are merged. The output is then walked as runs of the innermost merged dim, along which each
 * operand advances by 1 or stays put (step 0). Equal shapes and scalar operands become one run.
 */
final class Broadcast {
    /** Longest run handed to a body at once, so that long runs still split across threads. */
    private static final int MAX_RUN = 1 << 14;
    /** Output elements per parallel task. */
    private static final int GRAIN = (int) ExecContext.MIN_TASK_WORK;

    private final int[] shape;          // broadcast output shape
    private final int size;             // output elements
    private final int inner;            // length of the innermost merged dim
    private final int[] innerSteps;     // (operands) 1 or 0 along the inner dim
    private final int[] outer;          // merged dims before the inner one, outermost first
    private final int[][] outerStrides; // (operands, outer dims) element strides

    /** Something to run over one run: output offset, each operand's offset, run length. */
    @FunctionalInterface
    interface Body {
        void run(int out, int[] offs, int len);
    }

    private Broadcast(int[] shape, int inner, int[] innerSteps, int[] outer, int[][] outerStrides) {
        this.shape = shape;
        this.size = Shapes.size(shape);
        this.inner = inner;
        this.innerSteps = innerSteps;
        this.outer = outer;
        this.outerStrides = outerStrides;
    }

    /** The plan for operands of these shapes; {@link IllegalArgumentException} when they do not broadcast. */
    static Broadcast of(int[]... shapes) {
        int[] out = Shapes.broadcast(shapes);
        int rank = out.length;
        int n = shapes.length;
        int[][] strides = new int[n][rank];
        for (int k = 0; k < n; k++) {
            int[] s = Shapes.strides(shapes[k]);
            for (int i = 0; i < rank; i++) {
                int j = i - (rank - shapes[k].length);
                strides[k][i] = j >= 0 && shapes[k][j] != 1 ? s[j] : 0;
            }
        }
        // merged dims, innermost last: sizes and per-operand strides
        int[] dims = new int[rank];
        int[][] dimStrides = new int[n][rank];
        int m = 0;
        for (int i = 0; i < rank; i++) {
            if (out[i] == 1) {
                continue;
            }
            if (m > 0 && samePattern(strides, i, dimStrides, m - 1)) {
                dims[m - 1] *= out[i];
                for (int k = 0; k < n; k++) {
                    dimStrides[k][m - 1] = strides[k][i];
                }
            } else {
                dims[m] = out[i];
                for (int k = 0; k < n; k++) {
                    dimStrides[k][m] = strides[k][i];
                }
                m++;
            }
        }
        int inner = m == 0 ? 1 : dims[m - 1];
        int[] innerSteps = new int[n];
        int[][] outerStrides = new int[n][];
        for (int k = 0; k < n; k++) {
            innerSteps[k] = m == 0 ? 0 : dimStrides[k][m - 1];
            outerStrides[k] = Arrays.copyOf(dimStrides[k], Math.max(0, m - 1));
        }
        return new Broadcast(out, inner, innerSteps, Arrays.copyOf(dims, Math.max(0, m - 1)), outerStrides);
    }

    private static boolean samePattern(int[][] strides, int i, int[][] dimStrides, int d) {
        for (int k = 0; k < strides.length; k++) {
            if ((strides[k][i] == 0) != (dimStrides[k][d] == 0)) {
                return false;
            }
        }
        return true;
    }

    /** The broadcast output shape (do not modify). */
    int[] shape() {
        return shape;
    }

    int size() {
        return size;
    }

    /** How far operand {@code k} advances per output element within a run: 1 or 0. */
    int step(int k) {
        return innerSteps[k];
    }

    /** Runs {@code body} over every run of the output, in parallel chunks when the output is large. */
    void forEach(ExecContext ctx, Body body) {
        if (size == 0) {
            return;
        }
        int chunks = (inner + MAX_RUN - 1) / MAX_RUN;
        int runLen = Math.min(inner, MAX_RUN);
        int items = size / inner * chunks;
        ctx.parallelFor(items, Math.max(1, GRAIN / runLen), (from, to) -> {
            int[] offs = new int[innerSteps.length];
            for (int item = from; item < to; item++) {
                int outerIndex = item / chunks;
                int start = (item % chunks) * MAX_RUN;
                locate(outerIndex, offs);
                for (int k = 0; k < offs.length; k++) {
                    offs[k] += start * innerSteps[k];
                }
                body.run(outerIndex * inner + start, offs, Math.min(MAX_RUN, inner - start));
            }
        });
    }

    /** Each operand's offset at the start of outer position {@code index}. */
    private void locate(int index, int[] offs) {
        Arrays.fill(offs, 0);
        for (int d = outer.length - 1; d >= 0 && index > 0; d--) {
            int q = index / outer[d];
            int i = index - q * outer[d];
            index = q;
            for (int k = 0; k < offs.length; k++) {
                offs[k] += i * outerStrides[k][d];
            }
        }
    }
}
