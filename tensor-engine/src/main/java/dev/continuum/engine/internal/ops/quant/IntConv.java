package dev.continuum.engine.internal.ops.quant;

import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Shapes;

/**
 * Integer N-d convolution by im2col and {@link IntGemm}, on zero-point-shifted operands (so padding
 * is 0), with int32 accumulators.
 */
final class IntConv {
    private IntConv() {
    }

    /**
     * @param x shifted input (N, C, spatial...)
     * @param w shifted weights (M, C / group, kernel...)
     * @param bias (M) int32 bias, or null
     * @return accumulators (N, M, out...)
     */
    static int[] convolve(ExecContext ctx, ConvGeometry g, int[] x, int[] w, int[] bias) {
        int inSize = Shapes.size(g.in);
        int outSize = Shapes.size(g.out);
        int kernelSize = Shapes.size(g.kernel);
        int cPerGroup = g.inChannels / g.group;
        int mPerGroup = g.outChannels / g.group;
        int rows = cPerGroup * kernelSize;
        int[] offsets = inputOffsets(g, kernelSize, outSize);
        int[] y = new int[g.batch * g.outChannels * outSize];
        ctx.parallelFor(g.batch * g.group, 1, (from, to) -> {
            int[] col = new int[rows * outSize];
            for (int task = from; task < to; task++) {
                int n = task / g.group;
                int grp = task % g.group;
                int xBase = (n * g.inChannels + grp * cPerGroup) * inSize;
                for (int c = 0; c < cPerGroup; c++) {
                    int chan = xBase + c * inSize;
                    int colBase = c * kernelSize * outSize;
                    for (int i = 0; i < kernelSize * outSize; i++) {
                        int off = offsets[i];
                        col[colBase + i] = off < 0 ? 0 : x[chan + off];
                    }
                }
                int yOff = (n * g.outChannels + grp * mPerGroup) * outSize;
                IntGemm.multiply(w, grp * mPerGroup * rows, mPerGroup, rows, col, 0, outSize, y, yOff);
                if (bias != null) {
                    for (int m = 0; m < mPerGroup; m++) {
                        int b = bias[grp * mPerGroup + m];
                        for (int o = 0; o < outSize; o++) {
                            y[yOff + m * outSize + o] += b;
                        }
                    }
                }
            }
        });
        return y;
    }

    /**
     * For each (kernel position, output position), the flat spatial index read from one input
     * channel, or -1 where it falls in the padding: (kernelSize, outSize).
     */
    private static int[] inputOffsets(ConvGeometry g, int kernelSize, int outSize) {
        int dims = g.in.length;
        int[] inStrides = Shapes.strides(g.in);
        int[] offsets = new int[kernelSize * outSize];
        int[] k = new int[dims];
        int[] o = new int[dims];
        for (int kk = 0; kk < kernelSize; kk++) {
            java.util.Arrays.fill(o, 0);
            for (int oo = 0; oo < outSize; oo++) {
                int off = 0;
                for (int d = 0; d < dims && off >= 0; d++) {
                    int pos = o[d] * g.strides[d] - g.padBegin[d] + k[d] * g.dilations[d];
                    off = pos < 0 || pos >= g.in[d] ? -1 : off + pos * inStrides[d];
                }
                offsets[kk * outSize + oo] = off;
                increment(o, g.out);
            }
            increment(k, g.kernel);
        }
        return offsets;
    }

    /** Advances a row-major multi-index within {@code shape}. */
    private static void increment(int[] idx, int[] shape) {
        for (int d = idx.length - 1; d >= 0; d--) {
            if (++idx[d] < shape[d]) {
                return;
            }
            idx[d] = 0;
        }
    }
}
