package dev.continuum.engine.internal;

import dev.continuum.engine.internal.ops.Kernel;

/**
 * One scheduled node: its kernel, the slots it reads ({@code -1} for an omitted input) and writes,
 * the slots that are dead after it and can be released, and its estimated flops (0 when unknown).
 */
public record Step(Node node, Kernel kernel, int[] inputSlots, int[] outputSlots, int[] releaseAfter, long flops) {

    /** Whether this step reads nothing that {@code before} writes. */
    public boolean independentOf(Step before) {
        for (int in : inputSlots) {
            for (int out : before.outputSlots) {
                if (in >= 0 && in == out) {
                    return false;
                }
            }
        }
        return true;
    }
}
