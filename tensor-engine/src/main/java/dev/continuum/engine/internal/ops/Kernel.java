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

    /**
     * Whether a run reads input i from the graph. A specialised kernel that holds a constant input in a
     * form of its own (weights packed at load) says false, and the graph then keeps no copy of that
     * constant unless another step reads it: the kernel's compute gets null for it. The default is true.
     */
    default boolean readsAtRun(int input) {
        return true;
    }

    /**
     * This kernel with its single output followed by the addition of one more input of the output's
     * shape and then {@code activation}, as one kernel taking that input last: the graph planner fuses
     * a residual connection ({@code act(Add(node, r))}) into its producer this way. Null, the default,
     * when the kernel cannot; a kernel that can must compute exactly the unfused nodes' result up to the
     * rounding of the activation.
     */
    default Kernel withResidual(FusedActivation activation) {
        return null;
    }
}
