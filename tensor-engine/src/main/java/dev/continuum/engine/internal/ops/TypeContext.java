package dev.continuum.engine.internal.ops;

import dev.continuum.engine.Tensor;

/** What shape inference offers a kernel: its input types and any input known as a constant. */
public interface TypeContext {
    int inputCount();

    /** The type of input {@code i}; {@link ValueType#unknown()} when nothing is known or it is omitted. */
    ValueType input(int i);

    /** The value of input {@code i} when it is a constant (initializer or folded), else null. */
    Tensor constant(int i);

    boolean hasInput(int i);
}
