package dev.continuum.engine.internal.ops;

import dev.continuum.engine.Tensor;

/**
 * The computation of one node. A kernel is made once per node by its {@link KernelFactory}, which
 * reads and validates the attributes; {@link #compute} keeps no state between calls, so one kernel
 * may run on several threads at once.
 */
public interface Kernel {

    /**
     * Runs the node. {@code inputs[i]} is null for an omitted optional input. Returns one tensor per
     * node output (null for an omitted optional output). Never writes into an input.
     *
     * @throws IllegalArgumentException when the inputs do not fit together (the message names the
     *     input and what was expected; the executor adds the node)
     */
    Tensor[] compute(ExecContext ctx, Tensor[] inputs);

    /**
     * Output types from input types, for shape inference before any run. Returns null when this
     * kernel cannot tell; the default is null. Entries of the returned array may be null or
     * partially known (see {@link ValueType}).
     */
    default ValueType[] inferTypes(TypeContext ctx) {
        return null;
    }

    /**
     * Called once at load, after shape inference, with the node's input types and constant inputs.
     * A kernel may return a specialised kernel (weights packed once, shapes fixed); the default is
     * this kernel. The returned kernel must compute exactly what this one does.
     */
    default Kernel specialize(TypeContext ctx) {
        return this;
    }
}
