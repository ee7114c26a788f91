package dev.continuum.engine.internal.gemm;

import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Fills the Vector API's per-class operator caches once, before any kernel runs; loaded only when
 * {@link Simd#enabled()}.
 *
 * <p>Every lanewise operation looks up its fallback implementation in a cache shared by the whole
 * JVM ({@code VectorOperators.ImplCache.find}), filled on an operator's first use. A first use in
 * code C2 has already compiled, with a call profile that saw other operators, traps (a
 * {@code class_check} in {@code find}'s profile data). C2 then sums the trap counts of every method
 * it inlines into a compilation, and {@code find} is inlined once per vector operation: a kernel of
 * ~100 operations passes the per-compilation limit (100) on one or a few such traps, and the operations it
 * parses after that point (a kernel's epilogue: bias, clamp, store) compile to calls on heap
 * vectors. Seen in a JVM that had run the conformance suite's 459 nodes before the models (about one
 * run in two): {@code VectorTaps.kernel8}'s stores not intrinsified, mobilenet_small allocating
 * 5.9 MB per run instead of 8 KB. With each operator the kernels use applied once here, in the
 * interpreter, before any kernel has run, no first use happens in compiled code
 * ({@code OperatorCachesTest} keeps the lists complete).
 */
final class OperatorCaches {
    /** Lanewise operators the float kernels use (through {@code add}, {@code max}, {@code neg}... too). */
    static final List<VectorOperators.Unary> FLOAT_UNARY = List.of(VectorOperators.NEG, VectorOperators.ABS,
            VectorOperators.SQRT, VectorOperators.EXP);
    static final List<VectorOperators.Binary> FLOAT_BINARY = List.of(VectorOperators.ADD, VectorOperators.SUB,
            VectorOperators.MUL, VectorOperators.DIV, VectorOperators.MAX, VectorOperators.MIN);
    static final List<VectorOperators.Ternary> FLOAT_TERNARY = List.of(VectorOperators.FMA);
    static final List<VectorOperators.Associative> FLOAT_REDUCTIONS = List.of(VectorOperators.ADD,
            VectorOperators.MAX);
    /** The int lanes of the float kernels' exponent arithmetic. */
    static final List<VectorOperators.Binary> INT_BINARY = List.of(VectorOperators.ADD, VectorOperators.SUB);
    /** Shifts by a scalar count (a cache of their own). */
    static final List<VectorOperators.Binary> INT_SHIFTS = List.of(VectorOperators.LSHL);

    private OperatorCaches() {
    }

    /** Applies each listed operator once, so its implementation is in the cache before any kernel runs. */
    static void fill() {
        FloatVector f = FloatVector.broadcast(FloatVector.SPECIES_PREFERRED, 1f);
        FLOAT_UNARY.forEach(f::lanewise);
        FLOAT_BINARY.forEach(op -> f.lanewise(op, f));
        FLOAT_TERNARY.forEach(op -> f.lanewise(op, f, f));
        FLOAT_REDUCTIONS.forEach(f::reduceLanes);
        IntVector i = IntVector.broadcast(IntVector.SPECIES_PREFERRED, 1);
        INT_BINARY.forEach(op -> i.lanewise(op, i));
        INT_SHIFTS.forEach(op -> i.lanewise(op, 1));
    }
}
