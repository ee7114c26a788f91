package dev.continuum.engine.internal.gemm;

/**
 * Whether kernels may use the Vector API: the {@code jdk.incubator.vector} module must be in the
 * boot layer (launchers pass {@code --add-modules jdk.incubator.vector}) and the system property
 * {@code continuum.engine.simd} must not be {@code false} (the scalar path, for tests and
 * for JVMs where the incubator module misbehaves).
 */
public final class Simd {
    private static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("continuum.engine.simd"))
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    static {
        if (ENABLED) {
            OperatorCaches.fill();
        }
    }

    private Simd() {
    }

    public static boolean enabled() {
        return ENABLED;
    }
}
