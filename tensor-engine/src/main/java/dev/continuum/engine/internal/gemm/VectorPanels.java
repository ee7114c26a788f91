package dev.continuum.engine.internal.gemm;

import dev.continuum.engine.internal.ops.ExecContext;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C = A * B} on the Vector API with both operands already packed: A in strips of
 * {@link #MR} rows ({@link PackedRows}, a constant weight packed at load), B in panels of two
 * vectors' width (written by the caller, e.g. a convolution's im2col). No packing and no pass over C
 * before the product: the first k-block stores its tiles, later ones add theirs to C in the 8-row
 * kernel's stores (the 6-row one computes them into a scratch tile and adds it). Edge tiles (fewer
 * than {@link #MR} rows or a partial panel) are computed whole into the scratch tile and copied or
 * added, but in the first k-block a last strip of one row goes with the strip before it
 * ({@link #kernel9}), and a whole strip on a panel of one vector or less takes that vector only
 * ({@link #kernelOneVector}).
 */
final class VectorPanels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * Rows per strip of A: 8 with 16 lanes (AVX-512 has 32 vector registers; 16 accumulators, and
     * the usual 16, 32, 64 ... output channels fill whole strips), else 6 (12 accumulators within
     * AVX2's 16 registers).
     */
    static final int MR = L >= 16 ? 8 : 6;
    static final int NR = 2 * L;
    /**
     * Longest k-block: K is cut into blocks of equal length up to this. With 16 lanes a block's panel
     * (KC x 32 floats) should stay in L1 across the strips it meets, and later blocks add their tiles to
     * C in the kernel's stores ({@link #kernel8} with {@code add}). Where L1 holds a 256-deep panel (32
     * KB) and a strip of A beside it (48 KB on the Intel Xeon machines), blocks of up to 256: K of 1,152
     * and 2,304 ran 6 % and 12 % faster than in blocks of up to 768 (147 -> 159 and 132 -> 149
     * GFLOP/s, in-process), 384 no faster than 768, 128 slower than 256; resnet18 37.7 -> 36.3 ms at 1
     * thread, mobilenet_small unchanged (575 / 574 us), though its one-row last strips now ride with
     * {@link #kernel9} only in the first of their blocks. Where it does not (32 KB on the Zen 4
     * machine), the panel streams from L2 at any useful depth and each block's pass over C is what
     * costs: 1024^3 ran at 81-91 GFLOP/s in blocks of 256, 77-83 in blocks of 128, 94-99 in blocks of
     * 512 and 96-101 in one block, so 512 there (and when L1's size is unknown, 256).
     * With 8 lanes later blocks still go through the scratch tile, and there few long blocks
     * beat many short ones (on the AMD machine K = 576 in one block ran at 155-170 GFLOP/s against
     * 125-140 in blocks of 256, 256, 64), so 768.
     */
    private static final int KC = MR == 8 ? kBlock16(CpuCaches.L1_DATA_BYTES) : 768;
    /** Strips of A per k-block pass: MC_STRIPS * MR rows times a k-block stay in L2 while panels stream by. */
    private static final int MC_STRIPS = 16;

    /** The longest k-block of the 16-lane kernels for an L1 data cache of this many bytes (-1: unknown). */
    static int kBlock16(int l1DataBytes) {
        int shortBlock = 256;
        int panelAndStrip = shortBlock * (32 + 8) * Float.BYTES; // a panel of 32 columns, a strip of 8 rows
        return l1DataBytes < 0 || l1DataBytes >= panelAndStrip ? shortBlock : 2 * shortBlock;
    }

    private static final ThreadLocal<float[]> EDGE = ThreadLocal.withInitial(() -> new float[MR * NR]);

    private VectorPanels() {
    }

    /**
     * C[m x n] = A * B (or C += A * B when accumulate), A given as strips ({@link PackedRows}
     * layout, m x k at ad[0]), B as panels at bp[bOff].
     */
    static void multiply(float[] ad, int m, int k, float[] bp, int bOff, int n, float[] c, int cOff, int ldc,
                         boolean accumulate, ExecContext ctx) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (accumulate) {
                return;
            }
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            }
            return;
        }
        int strips = (m + MR - 1) / MR;
        int panels = (n + NR - 1) / NR;
        // split, in ranges that the thread which finishes first takes over (in-process A/B against
        // fixed halves at 2 threads: mobilenet_v2 -1.5, -2.8, -1.3 %; resnet18 -1.1, -0.4, +1.0 %)
        if (!ctx.worthSplitting(2L * m * n * k)) {
            range(ad, m, k, bp, bOff, n, c, cOff, ldc, accumulate, 0, strips, 0, panels);
        } else if (strips >= panels) {
            // a last strip of one row stays with the strip before it, for kernel9's one pass over a
            // panel (mobilenet_v2's 576 -> 160 on 7x7, at 2 threads in-process A/B: -0.4, -0.6 %)
            int whole = MR == 8 && strips > 1 && m - (strips - 1) * MR == 1 ? strips - 1 : strips;
            ctx.parallelRanges(whole, (s0, s1) -> range(ad, m, k, bp, bOff, n, c, cOff, ldc, accumulate, s0,
                    s1 == whole ? strips : s1, 0, panels));
        } else {
            ctx.parallelRanges(panels, (p0, p1) -> range(ad, m, k, bp, bOff, n, c, cOff, ldc, accumulate, 0, strips,
                    p0, p1));
        }
    }

    /** Strips [s0, s1) of A times panels [p0, p1) of B, blocked over k and strips. */
    private static void range(float[] ad, int m, int k, float[] bp, int bOff, int n, float[] c, int cOff, int ldc,
                              boolean accumulate, int s0, int s1, int p0, int p1) {
        float[] edge = EDGE.get();
        int blocks = (k + KC - 1) / KC;
        int blockK = (k + blocks - 1) / blocks; // equal blocks of at most KC
        for (int k0 = 0; k0 < k; k0 += blockK) {
            int kc = Math.min(blockK, k - k0);
            boolean add = accumulate || k0 > 0;
            for (int sb = s0; sb < s1; sb += MC_STRIPS) {
                int se = Math.min(s1, sb + MC_STRIPS);
                for (int p = p0; p < p1; p++) {
                    int j0 = p * NR;
                    int nr = Math.min(NR, n - j0);
                    int bIdx = bOff + p * k * NR + k0 * NR;
                    for (int s = sb; s < se; s++) {
                        int mr = Math.min(MR, m - s * MR);
                        int aIdx = s * k * MR + k0 * MR;
                        int cIdx = cOff + s * MR * ldc + j0;
                        if (MR == 8 && mr == MR && nr == NR && add) {
                            kernel8(kc, ad, aIdx, bp, bIdx, c, cIdx, ldc, true); // a later k-block adds its tile
                        } else if (mr == MR && nr == NR && !add) {
                            if (MR == 8 && s + 1 < se && m - (s + 1) * MR == 1) {
                                // the next strip is the last and holds one row: both in one pass over the panel
                                kernel9(kc, ad, aIdx, (s + 1) * k * MR + k0 * MR, bp, bIdx, c, cIdx, ldc);
                                s++;
                                continue;
                            }
                            kernel(kc, ad, aIdx, bp, bIdx, c, cIdx, ldc);
                        } else if (MR == 8 && mr == MR && nr <= L) {
                            // a whole strip on a panel of one vector or less (36 = 32 + 4 positions)
                            kernelOneVector(kc, ad, aIdx, bp, bIdx, edge);
                            copyEdge(edge, mr, nr, c, cIdx, ldc, add);
                        } else {
                            edgeKernel(mr, kc, ad, aIdx, bp, bIdx, edge);
                            copyEdge(edge, mr, nr, c, cIdx, ldc, add);
                        }
                    }
                }
            }
        }
    }

    /** The first mr x nr of a tile computed into the scratch tile, stored to or added to C. */
    private static void copyEdge(float[] edge, int mr, int nr, float[] c, int cIdx, int ldc, boolean add) {
        for (int r = 0; r < mr; r++) {
            int row = cIdx + r * ldc;
            if (add && nr == NR) {
                FloatVector.fromArray(S, edge, r * NR).add(FloatVector.fromArray(S, c, row)).intoArray(c, row);
                FloatVector.fromArray(S, edge, r * NR + L).add(FloatVector.fromArray(S, c, row + L))
                        .intoArray(c, row + L);
            } else if (add) {
                for (int j = 0; j < nr; j++) {
                    c[row + j] += edge[r * NR + j];
                }
            } else {
                System.arraycopy(edge, r * NR, c, row, nr);
            }
        }
    }

    /**
     * C[MR x NR] = Apack[MR x kc] * Bpack[kc x NR] by the kernel of this machine's strip height
     * (MR is a constant: the JIT keeps only one branch).
     */
    private static void kernel(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float[] c, int cIdx, int ldc) {
        if (MR == 8) {
            kernel8(kc, ap, aIdx, bp, bIdx, c, cIdx, ldc, false);
        } else {
            kernel6(kc, ap, aIdx, bp, bIdx, c, cIdx, ldc);
        }
    }

    /**
     * The first mr rows of a strip (padded to MR with zeros) times a panel, into the scratch tile:
     * by a kernel of 1, 2 or 4 rows when mr is that small, so that a last strip of one row (7x7 = 49
     * positions in strips of 8) costs about a fifth of a full strip, not a whole one.
     */
    private static void edgeKernel(int mr, int kc, float[] ap, int aIdx, float[] bp, int bIdx, float[] edge) {
        if (mr == 1) {
            kernel1(kc, ap, aIdx, bp, bIdx, edge);
        } else if (mr == 2) {
            kernel2(kc, ap, aIdx, bp, bIdx, edge);
        } else if (mr <= 4) {
            kernel4(kc, ap, aIdx, bp, bIdx, edge);
        } else {
            kernel(kc, ap, aIdx, bp, bIdx, edge, 0, NR);
        }
    }

    /** Row 0 of a strip times a panel into c[0, NR): two vectors per k, two accumulators per vector. */
    private static void kernel1(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float[] c) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector d00 = FloatVector.zero(S);
        FloatVector d01 = FloatVector.zero(S);
        int kk = 0;
        for (; kk + 1 < kc; kk += 2) {
            FloatVector x = FloatVector.broadcast(S, ap[aIdx]);
            c00 = x.lanewise(VectorOperators.FMA, FloatVector.fromArray(S, bp, bIdx), c00);
            c01 = x.lanewise(VectorOperators.FMA, FloatVector.fromArray(S, bp, bIdx + L), c01);
            x = FloatVector.broadcast(S, ap[aIdx + MR]);
            d00 = x.lanewise(VectorOperators.FMA, FloatVector.fromArray(S, bp, bIdx + NR), d00);
            d01 = x.lanewise(VectorOperators.FMA, FloatVector.fromArray(S, bp, bIdx + NR + L), d01);
            aIdx += 2 * MR;
            bIdx += 2 * NR;
        }
        if (kk < kc) {
            FloatVector x = FloatVector.broadcast(S, ap[aIdx]);
            c00 = x.lanewise(VectorOperators.FMA, FloatVector.fromArray(S, bp, bIdx), c00);
            c01 = x.lanewise(VectorOperators.FMA, FloatVector.fromArray(S, bp, bIdx + L), c01);
        }
        store(c00.add(d00), c01.add(d01), c, 0);
    }

    /** Rows 0-1 of a strip times a panel into the scratch tile. */
    private static void kernel2(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float[] c) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        for (int kk = 0; kk < kc; kk++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bIdx);
            FloatVector b1 = FloatVector.fromArray(S, bp, bIdx + L);
            bIdx += NR;
            FloatVector x = FloatVector.broadcast(S, ap[aIdx]);
            c00 = x.lanewise(VectorOperators.FMA, b0, c00);
            c01 = x.lanewise(VectorOperators.FMA, b1, c01);
            x = FloatVector.broadcast(S, ap[aIdx + 1]);
            c10 = x.lanewise(VectorOperators.FMA, b0, c10);
            c11 = x.lanewise(VectorOperators.FMA, b1, c11);
            aIdx += MR;
        }
        store(c00, c01, c, 0);
        store(c10, c11, c, NR);
    }

    /** Rows 0-3 of a strip times a panel into the scratch tile. */
    private static void kernel4(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float[] c) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        for (int kk = 0; kk < kc; kk++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bIdx);
            FloatVector b1 = FloatVector.fromArray(S, bp, bIdx + L);
            bIdx += NR;
            FloatVector x = FloatVector.broadcast(S, ap[aIdx]);
            c00 = x.lanewise(VectorOperators.FMA, b0, c00);
            c01 = x.lanewise(VectorOperators.FMA, b1, c01);
            x = FloatVector.broadcast(S, ap[aIdx + 1]);
            c10 = x.lanewise(VectorOperators.FMA, b0, c10);
            c11 = x.lanewise(VectorOperators.FMA, b1, c11);
            x = FloatVector.broadcast(S, ap[aIdx + 2]);
            c20 = x.lanewise(VectorOperators.FMA, b0, c20);
            c21 = x.lanewise(VectorOperators.FMA, b1, c21);
            x = FloatVector.broadcast(S, ap[aIdx + 3]);
            c30 = x.lanewise(VectorOperators.FMA, b0, c30);
            c31 = x.lanewise(VectorOperators.FMA, b1, c31);
            aIdx += MR;
        }
        store(c00, c01, c, 0);
        store(c10, c11, c, NR);
        store(c20, c21, c, 2 * NR);
        store(c30, c31, c, 3 * NR);
    }

    /**
     * C[6 x NR] = Apack[6 x kc] * Bpack[kc x NR], accumulating in registers; C is not read. Later
     * k-blocks compute into the scratch tile and add it to C ({@link #copyEdge}): a kernel whose
     * accumulators started either from zero or from C ({@code add ? load : zero}) compiled, in some
     * JVM runs, to a loop 1.0-1.6x slower. One method per strip height, not a loop over rows: the
     * accumulators have to be locals for C2 to keep them in registers.
     */
    private static void kernel6(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float[] c, int cIdx, int ldc) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c51 = FloatVector.zero(S);
        for (int kk = 0; kk < kc; kk++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bIdx);
            FloatVector b1 = FloatVector.fromArray(S, bp, bIdx + L);
            bIdx += NR;
            FloatVector x = FloatVector.broadcast(S, ap[aIdx]);
            c00 = x.lanewise(VectorOperators.FMA, b0, c00);
            c01 = x.lanewise(VectorOperators.FMA, b1, c01);
            x = FloatVector.broadcast(S, ap[aIdx + 1]);
            c10 = x.lanewise(VectorOperators.FMA, b0, c10);
            c11 = x.lanewise(VectorOperators.FMA, b1, c11);
            x = FloatVector.broadcast(S, ap[aIdx + 2]);
            c20 = x.lanewise(VectorOperators.FMA, b0, c20);
            c21 = x.lanewise(VectorOperators.FMA, b1, c21);
            x = FloatVector.broadcast(S, ap[aIdx + 3]);
            c30 = x.lanewise(VectorOperators.FMA, b0, c30);
            c31 = x.lanewise(VectorOperators.FMA, b1, c31);
            x = FloatVector.broadcast(S, ap[aIdx + 4]);
            c40 = x.lanewise(VectorOperators.FMA, b0, c40);
            c41 = x.lanewise(VectorOperators.FMA, b1, c41);
            x = FloatVector.broadcast(S, ap[aIdx + 5]);
            c50 = x.lanewise(VectorOperators.FMA, b0, c50);
            c51 = x.lanewise(VectorOperators.FMA, b1, c51);
            aIdx += 6;
        }
        store(c00, c01, c, cIdx);
        store(c10, c11, c, cIdx + ldc);
        store(c20, c21, c, cIdx + 2 * ldc);
        store(c30, c31, c, cIdx + 3 * ldc);
        store(c40, c41, c, cIdx + 4 * ldc);
        store(c50, c51, c, cIdx + 5 * ldc);
    }

    /**
     * A whole strip of 8 rows times the first vector of a panel, into the scratch tile: a partial last
     * panel of at most one vector's columns (36 = 32 + 4 positions) costs half the FMAs of the whole
     * tile the edge kernel computes: mobilenet_small (its 6x6 pointwise layers) 451.6 -> 443.3 and
     * 454.5 -> 447.7 us per run at 1 thread (in-process A/B), resnet_small unchanged.
     */
    private static void kernelOneVector(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float[] c) {
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = FloatVector.zero(S);
        FloatVector c2 = FloatVector.zero(S);
        FloatVector c3 = FloatVector.zero(S);
        FloatVector c4 = FloatVector.zero(S);
        FloatVector c5 = FloatVector.zero(S);
        FloatVector c6 = FloatVector.zero(S);
        FloatVector c7 = FloatVector.zero(S);
        for (int kk = 0; kk < kc; kk++) {
            FloatVector b = FloatVector.fromArray(S, bp, bIdx);
            bIdx += NR;
            c0 = FloatVector.broadcast(S, ap[aIdx]).lanewise(VectorOperators.FMA, b, c0);
            c1 = FloatVector.broadcast(S, ap[aIdx + 1]).lanewise(VectorOperators.FMA, b, c1);
            c2 = FloatVector.broadcast(S, ap[aIdx + 2]).lanewise(VectorOperators.FMA, b, c2);
            c3 = FloatVector.broadcast(S, ap[aIdx + 3]).lanewise(VectorOperators.FMA, b, c3);
            c4 = FloatVector.broadcast(S, ap[aIdx + 4]).lanewise(VectorOperators.FMA, b, c4);
            c5 = FloatVector.broadcast(S, ap[aIdx + 5]).lanewise(VectorOperators.FMA, b, c5);
            c6 = FloatVector.broadcast(S, ap[aIdx + 6]).lanewise(VectorOperators.FMA, b, c6);
            c7 = FloatVector.broadcast(S, ap[aIdx + 7]).lanewise(VectorOperators.FMA, b, c7);
            aIdx += 8;
        }
        c0.intoArray(c, 0);
        c1.intoArray(c, NR);
        c2.intoArray(c, 2 * NR);
        c3.intoArray(c, 3 * NR);
        c4.intoArray(c, 4 * NR);
        c5.intoArray(c, 5 * NR);
        c6.intoArray(c, 6 * NR);
        c7.intoArray(c, 7 * NR);
    }

    /**
     * A whole strip and row 0 of the strip after it (at a2Idx) times a panel, stored to C's nine rows:
     * a last strip of one row (7x7 = 49 and 3x3 = 9 positions in strips of 8) rides along with the
     * strip before it instead of a pass of its own over the panel through the one-row kernel and the
     * scratch tile: mobilenet_small's 3x3 layers, 406 -> 393 and 526 -> 516 us per run at 1 thread
     * (in-process A/B; skipping those one-row tiles altogether bought 3.8 %); resnet18's 7x7 layers
     * within the noise.
     */
    private static void kernel9(int kc, float[] ap, int aIdx, int a2Idx, float[] bp, int bIdx, float[] c, int cIdx,
                                int ldc) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S);
        FloatVector c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S);
        FloatVector c71 = FloatVector.zero(S);
        FloatVector c80 = FloatVector.zero(S);
        FloatVector c81 = FloatVector.zero(S);
        for (int kk = 0; kk < kc; kk++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bIdx);
            FloatVector b1 = FloatVector.fromArray(S, bp, bIdx + L);
            bIdx += NR;
            FloatVector x = FloatVector.broadcast(S, ap[aIdx]);
            c00 = x.lanewise(VectorOperators.FMA, b0, c00);
            c01 = x.lanewise(VectorOperators.FMA, b1, c01);
            x = FloatVector.broadcast(S, ap[aIdx + 1]);
            c10 = x.lanewise(VectorOperators.FMA, b0, c10);
            c11 = x.lanewise(VectorOperators.FMA, b1, c11);
            x = FloatVector.broadcast(S, ap[aIdx + 2]);
            c20 = x.lanewise(VectorOperators.FMA, b0, c20);
            c21 = x.lanewise(VectorOperators.FMA, b1, c21);
            x = FloatVector.broadcast(S, ap[aIdx + 3]);
            c30 = x.lanewise(VectorOperators.FMA, b0, c30);
            c31 = x.lanewise(VectorOperators.FMA, b1, c31);
            x = FloatVector.broadcast(S, ap[aIdx + 4]);
            c40 = x.lanewise(VectorOperators.FMA, b0, c40);
            c41 = x.lanewise(VectorOperators.FMA, b1, c41);
            x = FloatVector.broadcast(S, ap[aIdx + 5]);
            c50 = x.lanewise(VectorOperators.FMA, b0, c50);
            c51 = x.lanewise(VectorOperators.FMA, b1, c51);
            x = FloatVector.broadcast(S, ap[aIdx + 6]);
            c60 = x.lanewise(VectorOperators.FMA, b0, c60);
            c61 = x.lanewise(VectorOperators.FMA, b1, c61);
            x = FloatVector.broadcast(S, ap[aIdx + 7]);
            c70 = x.lanewise(VectorOperators.FMA, b0, c70);
            c71 = x.lanewise(VectorOperators.FMA, b1, c71);
            x = FloatVector.broadcast(S, ap[a2Idx]);
            c80 = x.lanewise(VectorOperators.FMA, b0, c80);
            c81 = x.lanewise(VectorOperators.FMA, b1, c81);
            aIdx += 8;
            a2Idx += 8;
        }
        store(c00, c01, c, cIdx);
        store(c10, c11, c, cIdx + ldc);
        store(c20, c21, c, cIdx + 2 * ldc);
        store(c30, c31, c, cIdx + 3 * ldc);
        store(c40, c41, c, cIdx + 4 * ldc);
        store(c50, c51, c, cIdx + 5 * ldc);
        store(c60, c61, c, cIdx + 6 * ldc);
        store(c70, c71, c, cIdx + 7 * ldc);
        store(c80, c81, c, cIdx + 8 * ldc);
    }

    /**
     * {@link #kernel6} with eight rows: 16 accumulators, for the 32 vector registers of AVX-512; with
     * {@code add} the tile is added to C's. The stores are written out in both branches rather than
     * the accumulators loaded from C before the loop: that one code path made C2 compile the whole
     * kernel about 20 % slower (120 against 148 GFLOP/s on K = 1,152).
     */
    private static void kernel8(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float[] c, int cIdx, int ldc,
                                boolean add) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S);
        FloatVector c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S);
        FloatVector c71 = FloatVector.zero(S);
        for (int kk = 0; kk < kc; kk++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bIdx);
            FloatVector b1 = FloatVector.fromArray(S, bp, bIdx + L);
            bIdx += NR;
            FloatVector x = FloatVector.broadcast(S, ap[aIdx]);
            c00 = x.lanewise(VectorOperators.FMA, b0, c00);
            c01 = x.lanewise(VectorOperators.FMA, b1, c01);
            x = FloatVector.broadcast(S, ap[aIdx + 1]);
            c10 = x.lanewise(VectorOperators.FMA, b0, c10);
            c11 = x.lanewise(VectorOperators.FMA, b1, c11);
            x = FloatVector.broadcast(S, ap[aIdx + 2]);
            c20 = x.lanewise(VectorOperators.FMA, b0, c20);
            c21 = x.lanewise(VectorOperators.FMA, b1, c21);
            x = FloatVector.broadcast(S, ap[aIdx + 3]);
            c30 = x.lanewise(VectorOperators.FMA, b0, c30);
            c31 = x.lanewise(VectorOperators.FMA, b1, c31);
            x = FloatVector.broadcast(S, ap[aIdx + 4]);
            c40 = x.lanewise(VectorOperators.FMA, b0, c40);
            c41 = x.lanewise(VectorOperators.FMA, b1, c41);
            x = FloatVector.broadcast(S, ap[aIdx + 5]);
            c50 = x.lanewise(VectorOperators.FMA, b0, c50);
            c51 = x.lanewise(VectorOperators.FMA, b1, c51);
            x = FloatVector.broadcast(S, ap[aIdx + 6]);
            c60 = x.lanewise(VectorOperators.FMA, b0, c60);
            c61 = x.lanewise(VectorOperators.FMA, b1, c61);
            x = FloatVector.broadcast(S, ap[aIdx + 7]);
            c70 = x.lanewise(VectorOperators.FMA, b0, c70);
            c71 = x.lanewise(VectorOperators.FMA, b1, c71);
            aIdx += 8;
        }
        if (add) {
            c00.add(FloatVector.fromArray(S, c, cIdx)).intoArray(c, cIdx);
            c01.add(FloatVector.fromArray(S, c, cIdx + L)).intoArray(c, cIdx + L);
            c10.add(FloatVector.fromArray(S, c, cIdx + ldc)).intoArray(c, cIdx + ldc);
            c11.add(FloatVector.fromArray(S, c, cIdx + ldc + L)).intoArray(c, cIdx + ldc + L);
            c20.add(FloatVector.fromArray(S, c, cIdx + 2 * ldc)).intoArray(c, cIdx + 2 * ldc);
            c21.add(FloatVector.fromArray(S, c, cIdx + 2 * ldc + L)).intoArray(c, cIdx + 2 * ldc + L);
            c30.add(FloatVector.fromArray(S, c, cIdx + 3 * ldc)).intoArray(c, cIdx + 3 * ldc);
            c31.add(FloatVector.fromArray(S, c, cIdx + 3 * ldc + L)).intoArray(c, cIdx + 3 * ldc + L);
            c40.add(FloatVector.fromArray(S, c, cIdx + 4 * ldc)).intoArray(c, cIdx + 4 * ldc);
            c41.add(FloatVector.fromArray(S, c, cIdx + 4 * ldc + L)).intoArray(c, cIdx + 4 * ldc + L);
            c50.add(FloatVector.fromArray(S, c, cIdx + 5 * ldc)).intoArray(c, cIdx + 5 * ldc);
            c51.add(FloatVector.fromArray(S, c, cIdx + 5 * ldc + L)).intoArray(c, cIdx + 5 * ldc + L);
            c60.add(FloatVector.fromArray(S, c, cIdx + 6 * ldc)).intoArray(c, cIdx + 6 * ldc);
            c61.add(FloatVector.fromArray(S, c, cIdx + 6 * ldc + L)).intoArray(c, cIdx + 6 * ldc + L);
            c70.add(FloatVector.fromArray(S, c, cIdx + 7 * ldc)).intoArray(c, cIdx + 7 * ldc);
            c71.add(FloatVector.fromArray(S, c, cIdx + 7 * ldc + L)).intoArray(c, cIdx + 7 * ldc + L);
        } else {
            c00.intoArray(c, cIdx);
            c01.intoArray(c, cIdx + L);
            c10.intoArray(c, cIdx + ldc);
            c11.intoArray(c, cIdx + ldc + L);
            c20.intoArray(c, cIdx + 2 * ldc);
            c21.intoArray(c, cIdx + 2 * ldc + L);
            c30.intoArray(c, cIdx + 3 * ldc);
            c31.intoArray(c, cIdx + 3 * ldc + L);
            c40.intoArray(c, cIdx + 4 * ldc);
            c41.intoArray(c, cIdx + 4 * ldc + L);
            c50.intoArray(c, cIdx + 5 * ldc);
            c51.intoArray(c, cIdx + 5 * ldc + L);
            c60.intoArray(c, cIdx + 6 * ldc);
            c61.intoArray(c, cIdx + 6 * ldc + L);
            c70.intoArray(c, cIdx + 7 * ldc);
            c71.intoArray(c, cIdx + 7 * ldc + L);
        }
    }

    private static void store(FloatVector lo, FloatVector hi, float[] c, int idx) {
        lo.intoArray(c, idx);
        hi.intoArray(c, idx + L);
    }
}
