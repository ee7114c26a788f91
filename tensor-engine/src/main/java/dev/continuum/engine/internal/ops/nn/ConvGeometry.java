package dev.continuum.engine.internal.ops.nn;

import dev.continuum.engine.internal.ops.Shapes;

/**
 * How a sliding window walks an image: per spatial dim the image size, kernel size, stride,
 * dilation, the padding before and after, and the number of window positions ({@code out}).
 * Window position {@code o} reads image coordinates {@code o * stride + j * dilation - padBegin}
 * for kernel offsets {@code j}; coordinates outside {@code [0, image)} are padding.
 * For ConvTranspose the image is the transposed conv's output and {@code out} its input.
 */
record ConvGeometry(int[] image, int[] kernel, int[] strides, int[] dilations, int[] padBegin, int[] padEnd,
                    int[] out) {

    int rank() {
        return image.length;
    }

    int imageSize() {
        return Shapes.size(image);
    }

    int kernelSize() {
        return Shapes.size(kernel);
    }

    int outSize() {
        return Shapes.size(out);
    }

    /** The extent of the dilated kernel along dim d. */
    int dilatedKernel(int d) {
        return (kernel[d] - 1) * dilations[d] + 1;
    }

    /** True when every window reads exactly one image element at its own position (1x1, stride 1, no pads). */
    boolean isPointwise() {
        for (int d = 0; d < rank(); d++) {
            if (kernel[d] != 1 || strides[d] != 1 || padBegin[d] != 0 || padEnd[d] != 0 || out[d] != image[d]) {
                return false;
            }
        }
        return true;
    }
}
