package dev.continuum.engine.internal;

import dev.continuum.engine.internal.ops.Kernel;

/**
 * One scheduled node: its kernel, the slots it reads ({@code -1} for an omitted input) and writes,
 * and the slots that are dead after it and can be released.
 */
public record Step(Node node, Kernel kernel, int[] inputSlots, int[] outputSlots, int[] releaseAfter) {
}
