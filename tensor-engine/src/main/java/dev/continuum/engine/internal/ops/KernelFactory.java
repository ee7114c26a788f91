package dev.continuum.engine.internal.ops;

import dev.continuum.engine.internal.Node;

/** Makes the kernel for one node, reading and validating its attributes once. */
@FunctionalInterface
public interface KernelFactory {
    /**
     * @throws IllegalArgumentException when an attribute is missing or invalid (the message names
     *     the attribute; the loader adds the node)
     */
    Kernel create(Node node);
}
