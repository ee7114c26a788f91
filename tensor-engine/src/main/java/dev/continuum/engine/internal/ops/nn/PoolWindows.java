package dev.continuum.engine.internal.ops.nn;

/**
 * The pooling windows of a {@link ConvGeometry} of at most three spatial dims, seen as three dims
 * (missing leading dims have size 1): per dim and window position, the input coordinates the window
 * covers inside the input, and how many of its positions lie inside the padded input.
 */
final class PoolWindows {
    final int[] in = {1, 1, 1}; // (D, H, W) of the input plane
    final int[] out = {1, 1, 1}; // (D, H, W) of the output plane
    final int[][][] coords; // [dim][window] -> input coordinates inside the input
    final int[][] paddedCounts; // [dim][window] -> kernel positions inside the padded input

    PoolWindows(ConvGeometry g) {
        int nd = g.rank();
        if (nd < 1 || nd > 3) {
            throw new UnsupportedOperationException("pooling supports 1 to 3 spatial dims, got " + nd);
        }
        coords = new int[3][][];
        paddedCounts = new int[3][];
        for (int d = 0; d < 3; d++) {
            int src = d - (3 - nd);
            if (src < 0) {
                coords[d] = new int[][] {{0}};
                paddedCounts[d] = new int[] {1};
                continue;
            }
            in[d] = g.image()[src];
            out[d] = g.out()[src];
            coords[d] = new int[out[d]][];
            paddedCounts[d] = new int[out[d]];
            for (int o = 0; o < out[d]; o++) {
                fill(g, src, d, o);
            }
        }
    }

    private void fill(ConvGeometry g, int src, int d, int o) {
        int start = o * g.strides()[src] - g.padBegin()[src];
        int k = g.kernel()[src];
        int dil = g.dilations()[src];
        int[] tmp = new int[k];
        int n = 0;
        int padded = 0;
        for (int j = 0; j < k; j++) {
            int ix = start + j * dil;
            if (ix >= 0 && ix < in[d]) {
                tmp[n++] = ix;
            }
            if (ix >= -g.padBegin()[src] && ix < in[d] + g.padEnd()[src]) {
                padded++;
            }
        }
        coords[d][o] = java.util.Arrays.copyOf(tmp, n);
        paddedCounts[d][o] = padded;
    }

    int inSize() {
        return in[0] * in[1] * in[2];
    }

    int outSize() {
        return out[0] * out[1] * out[2];
    }
}
