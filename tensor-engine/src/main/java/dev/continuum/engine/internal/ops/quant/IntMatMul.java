package dev.continuum.engine.internal.ops.quant;

import dev.continuum.engine.internal.ops.Shapes;
import java.util.Arrays;

/**
 * numpy matmul shapes for integer operands: 1-D operands promoted (and their dim dropped from the
 * result), batch dims broadcast. Products run on zero-point-shifted int arrays.
 */
final class IntMatMul {
    final int m;
    final int k;
    final int n;
    final int[] outShape;
    private final int[] aBatchIndex; // for each output batch, the batch of a
    private final int[] bBatchIndex; // for each output batch, the batch of b

    private IntMatMul(int m, int k, int n, int[] outShape, int[] aBatchIndex, int[] bBatchIndex) {
        this.m = m;
        this.k = k;
        this.n = n;
        this.outShape = outShape;
        this.aBatchIndex = aBatchIndex;
        this.bBatchIndex = bBatchIndex;
    }

    static IntMatMul plan(int[] a, int[] b) {
        int[] a2 = a.length == 1 ? new int[] {1, a[0]} : a;
        int[] b2 = b.length == 1 ? new int[] {b[0], 1} : b;
        if (a2.length < 2 || b2.length < 2) {
            throw new IllegalArgumentException("matmul inputs must have rank >= 1, got " + Shapes.str(a) + " and " + Shapes.str(b));
        }
        int m = a2[a2.length - 2];
        int k = a2[a2.length - 1];
        int n = b2[b2.length - 1];
        if (b2[b2.length - 2] != k) {
            throw new IllegalArgumentException("cannot multiply " + Shapes.str(a) + " by " + Shapes.str(b)
                    + ": inner dims " + k + " and " + b2[b2.length - 2] + " differ");
        }
        int[] aBatch = Arrays.copyOf(a2, a2.length - 2);
        int[] bBatch = Arrays.copyOf(b2, b2.length - 2);
        int[] batch = Shapes.broadcast(aBatch, bBatch);
        int[] out = Arrays.copyOf(batch, batch.length + (a.length == 1 ? 0 : 1) + (b.length == 1 ? 0 : 1));
        int pos = batch.length;
        if (a.length != 1) {
            out[pos++] = m;
        }
        if (b.length != 1) {
            out[pos] = n;
        }
        return new IntMatMul(m, k, n, out, Shapes.broadcastIndex(aBatch, batch), Shapes.broadcastIndex(bBatch, batch));
    }

    int batches() {
        return aBatchIndex.length;
    }

    /** All products, (batches, m, n), from shifted operands of a's and b's own shapes. */
    int[] multiply(int[] a, int[] b) {
        int[] c = new int[batches() * m * n];
        for (int i = 0; i < batches(); i++) {
            IntGemm.multiply(a, aBatchIndex[i] * m * k, m, k, b, bBatchIndex[i] * k * n, n, c, i * m * n);
        }
        return c;
    }

    /** a minus its zero point: a scalar, or one per row (m values). */
    int[] shiftRows(int[] a, int[] zeroPoint, String zpName) {
        checkParam(zeroPoint.length, m, zpName, "rows of A");
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] - zeroPoint[zeroPoint.length == 1 ? 0 : (i / k) % m];
        }
        return out;
    }

    /** b minus its zero point: a scalar, or one per column (n values). */
    int[] shiftColumns(int[] b, int[] zeroPoint, String zpName) {
        checkParam(zeroPoint.length, n, zpName, "columns of B");
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] - zeroPoint[zeroPoint.length == 1 ? 0 : i % n];
        }
        return out;
    }

    static void checkParam(int size, int dim, String name, String what) {
        if (size != 1 && size != dim) {
            throw new IllegalArgumentException("input '" + name + "' has " + size + " values, expected 1 or " + dim
                    + " (one per " + what.replace("rows", "row").replace("columns", "column") + ")");
        }
    }
}
