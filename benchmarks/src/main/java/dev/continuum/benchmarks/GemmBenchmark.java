package dev.continuum.benchmarks;

import dev.continuum.engine.internal.gemm.PackedMatrix;
import dev.continuum.engine.internal.gemm.Sgemm;
import dev.continuum.engine.internal.ops.ExecContext;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SGEMM throughput on one core: square shapes and the skinny shapes of batch-1 transformer layers
 * ({@code m x n x k}). GFLOP/s = 2mnk / time. Run: {@code java --add-modules jdk.incubator.vector
 * -jar benchmarks/target/benchmarks.jar GemmBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {
    @Param({"128x128x128", "512x512x512", "1024x1024x1024", "1x768x768", "1x3072x768", "1x768x3072", "16x64x64",
            "16x16x64"})
    public String shape;

    @Param({"vector", "scalar"})
    public String impl;

    private Sgemm gemm;
    private int m;
    private int n;
    private int k;
    private float[] a;
    private float[] b;
    private float[] c;
    private PackedMatrix packed;

    @Setup
    public void setup() {
        String[] s = shape.split("x");
        m = Integer.parseInt(s[0]);
        n = Integer.parseInt(s[1]);
        k = Integer.parseInt(s[2]);
        gemm = impl.equals("scalar") ? Sgemm.scalar() : Sgemm.get();
        Random rnd = new Random(1);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextFloat();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = rnd.nextFloat();
        }
        packed = gemm.packB(false, k, n, b, 0, n);
    }

    /** B packed on every call (activations times activations, e.g. attention scores). */
    @Benchmark
    public float[] sgemm() {
        gemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n, ExecContext.serial());
        return c;
    }

    /** B packed once (a constant weight, as the engine does at load). */
    @Benchmark
    public float[] sgemmPrepacked() {
        gemm.sgemmPacked(false, m, 1f, a, 0, k, packed, 0f, c, 0, n, ExecContext.serial());
        return c;
    }
}
