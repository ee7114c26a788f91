package dev.continuum.engine.internal.ops.nn;

/**
 * A {@link Depthwise3x3} convolution whose output planes are smaller than one vector (mobilenet's
 * last layers: 3x3 planes of 336 channels), laid out to be computed a whole image at a time: the
 * planes of every channel flattened one after the other, so that one vector of outputs spans
 * several channels. Tap {@code (ky, kx)} of the stride-1 output {@code i} reads the image at
 * {@code i + (ky - 1) * w + kx - 1} (in a copy with {@link #guard} zeros on either side) with the
 * weight of output i's channel, {@code weights[(ky * 3 + kx) * size + i]}: the 9 weights of each
 * channel expanded once per input shape. A tap that falls in the padding reads the neighbouring
 * row or plane; the vector loop drops it by the output's row ({@link #rows}) and column
 * ({@link #columns}). Stride 2 computes the stride-1 outputs of the whole plane and keeps every
 * other row and column: the stride-2 output {@code (oy, ox)} with one pixel of padding is the
 * stride-1 output {@code (2 oy, 2 ox)}. At stride 2 on planes of at least one vector (6x6 to 3x3)
 * the planes go one by one instead, by the vector loops' short stride-2 rows, or, for the image's
 * last plane, through {@link #full} (the stride-1 vector loop of {@link Depthwise3x3}), which
 * computes those outputs at a third of the cost of the flattened loop.
 */
final class SmallPlaneDepthwise {
    /** Largest image (channels x h x w) laid out this way: the expanded weights take 9 floats per element. */
    static final int MAX_SIZE = 1 << 15;

    final Depthwise3x3 d;
    final int channels;
    final int size; // channels * h * w: the stride-1 outputs of one image
    final int guard; // zeros before and after the copy of the image: w + 1
    // the flattened layout (null when full is set):
    final float[] weights; // (9, size)
    final float[] bias; // (size): the bias of each output's channel
    final float[] rows; // (size): the row of each stride-1 output in its plane, as a float
    final float[] columns; // (size): its column
    final float[] channelWeights; // (channels, 1, 3, 3) as given
    final float[] channelBias; // (channels) as given
    final Depthwise3x3 full; // stride 2 on planes of at least one vector: the stride-1 layout of the plane, else null

    private SmallPlaneDepthwise(Depthwise3x3 d, int channels, float[] w, float[] channelBias, Depthwise3x3 full) {
        this.d = d;
        this.full = full;
        this.channels = channels;
        this.channelWeights = w;
        this.channelBias = channelBias;
        int plane = d.h * d.w;
        this.size = channels * plane;
        this.guard = d.w + 1;
        if (full != null) { // computed plane by plane from the weights as given
            this.weights = null;
            this.bias = null;
            this.rows = null;
            this.columns = null;
            return;
        }
        this.weights = new float[9 * size];
        this.bias = new float[size];
        this.rows = new float[size];
        this.columns = new float[size];
        for (int i = 0; i < size; i++) {
            int c = i / plane;
            for (int tap = 0; tap < 9; tap++) {
                weights[tap * size + i] = w[c * 9 + tap];
            }
            bias[i] = channelBias[c];
            rows[i] = i % plane / d.w;
            columns[i] = i % d.w;
        }
    }

    /**
     * The layout for {@code channels} planes of d with weights (channels, 1, 3, 3) and their bias,
     * or null when the planes are not smaller than {@code lanes} outputs, the image is smaller than
     * one vector, or larger than {@link #MAX_SIZE}.
     */
    static SmallPlaneDepthwise of(Depthwise3x3 d, int channels, float[] w, float[] bias, int lanes) {
        long size = (long) channels * d.h * d.w;
        if (d.outSize >= lanes || size < lanes || size > MAX_SIZE) {
            return null;
        }
        Depthwise3x3 full = d.stride == 2 && d.h * d.w >= lanes ? Depthwise3x3.stride1(d.h, d.w) : null;
        return new SmallPlaneDepthwise(d, channels, w, bias, full);
    }

    /**
     * Floats of scratch one image needs: its guarded copy, and after it for stride 2 the stride-1
     * outputs; plane by plane, the stride-1 layout's scratch and one plane of outputs (with the
     * {@link Depthwise3x3#SLACK} a vector store may run past the short rows' outputs).
     */
    int scratchSize() {
        if (full != null) {
            return full.scratchSize() + full.outSize + Depthwise3x3.SLACK;
        }
        return size + 2 * guard + (d.stride == 2 ? size : 0);
    }

    /** Copies one image (size floats at xOff) into the scratch at s[sOff], between zeroed guards. */
    void fill(float[] x, int xOff, float[] s, int sOff) {
        java.util.Arrays.fill(s, sOff, sOff + guard, 0f);
        System.arraycopy(x, xOff, s, sOff + guard, size);
        java.util.Arrays.fill(s, sOff + guard + size, sOff + size + 2 * guard, 0f);
    }
}
