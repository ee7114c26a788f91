package dev.continuum.engine.internal.ops.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuum.engine.internal.ops.Shapes;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Strided copies (merged dims, arraycopy runs, tiled transposes) against the per-element index map. */
class CopiesTest {
    @Test
    void everyPermutationMatchesTheIndexMap() {
        int[][] shapes = {{3, 4}, {17, 33}, {40, 19}, {2, 3, 4}, {16, 4, 16}, {1, 16, 4, 16}, {2, 17, 1, 20},
            {5, 1, 1}, {1}, {}, {0, 3}, {3, 20, 18, 2}};
        Random rnd = new Random(1);
        for (int[] shape : shapes) {
            int n = Shapes.size(shape);
            float[] src = new float[n + 3];
            long[] srcL = new long[n + 3];
            for (int i = 0; i < src.length; i++) {
                src[i] = rnd.nextFloat();
                srcL[i] = rnd.nextLong();
            }
            for (int[] perm : permutations(shape.length)) {
                int[] inStrides = Shapes.strides(shape);
                int[] out = new int[shape.length];
                int[] strides = new int[shape.length];
                for (int i = 0; i < perm.length; i++) {
                    out[i] = shape[perm[i]];
                    strides[i] = inStrides[perm[i]];
                }
                int[] index = Gathers.offsets(out, Gathers.stridedAxes(out, strides));
                float[] want = new float[n];
                long[] wantL = new long[n];
                for (int i = 0; i < n; i++) {
                    want[i] = src[3 + index[i]];
                    wantL[i] = srcL[3 + index[i]];
                }
                float[] got = new float[n + 2];
                long[] gotL = new long[n + 2];
                Copies.strided(src, 3, out, strides, got, 2);
                Copies.strided(srcL, 3, out, strides, gotL, 2);
                String what = "Transpose " + Shapes.str(shape) + " perm " + Shapes.str(perm);
                assertThat(java.util.Arrays.copyOfRange(got, 2, n + 2)).as(what + " float32").isEqualTo(want);
                assertThat(java.util.Arrays.copyOfRange(gotL, 2, n + 2)).as(what + " int64").isEqualTo(wantL);
            }
        }
    }

    @Test
    void negativeAndZeroStridesWalkBackwardsAndRepeat() {
        float[] src = {0, 1, 2, 3, 4, 5};
        float[] got = new float[6];
        Copies.strided(src, 5, new int[] {2, 3}, new int[] {-3, -1}, got, 0);
        assertThat(got).containsExactly(5, 4, 3, 2, 1, 0);
        Copies.strided(src, 1, new int[] {2, 3}, new int[] {0, 2}, got, 0);
        assertThat(got).containsExactly(1, 3, 5, 1, 3, 5);
        Copies.strided(src, 4, new int[] {3, 2}, new int[] {0, 0}, got, 0);
        assertThat(got).containsExactly(4, 4, 4, 4, 4, 4);
    }

    private static java.util.List<int[]> permutations(int n) {
        java.util.List<int[]> out = new java.util.ArrayList<>();
        permute(new int[n], new boolean[n], 0, out);
        return out;
    }

    private static void permute(int[] p, boolean[] used, int k, java.util.List<int[]> out) {
        if (k == p.length) {
            out.add(p.clone());
            return;
        }
        for (int i = 0; i < p.length; i++) {
            if (!used[i]) {
                used[i] = true;
                p[k] = i;
                permute(p, used, k + 1, out);
                used[i] = false;
            }
        }
    }
}
