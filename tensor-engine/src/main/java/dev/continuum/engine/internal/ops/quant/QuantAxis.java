package dev.continuum.engine.internal.ops.quant;

import dev.continuum.engine.internal.Attributes;
import dev.continuum.engine.internal.ops.Shapes;

/**
 * How a scale (and its zero point) spreads over the data: one value for the whole tensor, one per
 * index along {@code axis}, or one per block of {@code blockSize} indices along {@code axis} (the
 * scale then has the data's shape with that dimension divided into blocks, rounded up).
 *
 * <p>The data is seen as (outer, axisDim, inner); {@link #index} gives the scale index of an element.
 */
final class QuantAxis {
    private final int outer;
    private final int axisDim;
    private final int inner;
    private final int blockSize;     // 0: per tensor or per axis
    private final int scaleAxisDim;  // blocks along the axis
    private final boolean perTensor;

    private QuantAxis(int outer, int axisDim, int inner, int blockSize, int scaleAxisDim, boolean perTensor) {
        this.outer = outer;
        this.axisDim = axisDim;
        this.inner = inner;
        this.blockSize = blockSize;
        this.scaleAxisDim = scaleAxisDim;
        this.perTensor = perTensor;
    }

    /** The {@code block_size} attribute: 0 (the default) for per tensor or per axis, else the block length. */
    static int blockSize(Attributes a) {
        long block = a.getInt("block_size", 0);
        if (block < 0 || block > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("attribute 'block_size' must be >= 0, got " + block);
        }
        return (int) block;
    }

    /**
     * @param scaleName the input named in errors, e.g. {@code y_scale}
     */
    static QuantAxis of(int[] x, long axis, int blockSize, int[] scale, String scaleName) {
        if (Shapes.size(scale) == 1 && blockSize == 0) {
            return new QuantAxis(1, 1, Shapes.size(x), 0, 1, true);
        }
        int a = Shapes.axis(axis, x.length, "attribute 'axis'");
        int outer = Shapes.product(x, 0, a);
        int inner = Shapes.product(x, a + 1, x.length);
        if (blockSize == 0) {
            if (scale.length != 1 || scale[0] != x[a]) {
                throw new IllegalArgumentException("input '" + scaleName + "' has shape " + Shapes.str(scale)
                        + ", expected a scalar or [" + x[a] + "] for axis " + axis + " of " + Shapes.str(x));
            }
            return new QuantAxis(outer, x[a], inner, 0, x[a], false);
        }
        int blocks = (x[a] + blockSize - 1) / blockSize;
        int[] expected = x.clone();
        expected[a] = blocks;
        if (!java.util.Arrays.equals(scale, expected)) {
            throw new IllegalArgumentException("input '" + scaleName + "' has shape " + Shapes.str(scale)
                    + ", expected " + Shapes.str(expected) + " for block_size " + blockSize + " along axis " + axis);
        }
        return new QuantAxis(outer, x[a], inner, blockSize, blocks, false);
    }

    int outer() {
        return outer;
    }

    int axisDim() {
        return axisDim;
    }

    int inner() {
        return inner;
    }

    /** The scale index of data element (o, a, k). */
    int index(int o, int a, int k) {
        if (perTensor) {
            return 0;
        }
        if (blockSize == 0) {
            return a;
        }
        return (o * scaleAxisDim + a / blockSize) * inner + k;
    }

    /** Checks that a zero point has the scale's shape. */
    static void checkZeroPoint(int[] zeroPoint, int[] scale, String zpName, String scaleName) {
        if (Shapes.size(zeroPoint) != Shapes.size(scale)) {
            throw new IllegalArgumentException("input '" + zpName + "' has shape " + Shapes.str(zeroPoint)
                    + " but '" + scaleName + "' has shape " + Shapes.str(scale));
        }
    }
}
