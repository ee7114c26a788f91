package dev.continuum.engine.internal.ops.math;

import dev.continuum.engine.DataType;

/**
 * The three representations elementwise kernels compute in: 16-bit floats are widened to float,
 * every integer type and bool to long (unsigned types zero-extended), double stays double.
 */
enum Lane {
    FLOAT, DOUBLE, LONG;

    static Lane of(DataType t) {
        return switch (t) {
            case FLOAT, FLOAT16, BFLOAT16 -> FLOAT;
            case DOUBLE -> DOUBLE;
            default -> LONG;
        };
    }
}
