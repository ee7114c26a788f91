package dev.continuum.agent.profile;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.continuum.engine.Model;
import dev.continuum.engine.Session;
import dev.continuum.engine.SessionOptions;
import dev.continuum.engine.Tensor;
import dev.continuum.proto.v1.DeviceProfile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.Map;

/**
 * What this device can do: cores, memory, architecture, and the tensor engine's float32 GEMM
 * throughput measured with a short benchmark (a {@code [n,n] x [n,n]} MatMul model built in memory,
 * timed for about {@code budgetMillis} after a {@link SessionTimer} warm-up). The figure is an estimate for placement,
 * not a benchmark result: the run is short.
 */
public final class DeviceProfiler {
    private DeviceProfiler() {
    }

    public static DeviceProfile measure(int threads, long budgetMillis) {
        return measure(threads, budgetMillis, Slowdown.NONE);
    }

    /** The profile of a device {@code slowdown} times slower than this one: GFLOP/s divided by its factor. */
    public static DeviceProfile measure(int threads, long budgetMillis, Slowdown slowdown) {
        return DeviceProfile.newBuilder()
                .setCores(Runtime.getRuntime().availableProcessors())
                .setMemoryBytes(totalMemoryBytes())
                .setArchitecture(System.getProperty("os.arch"))
                .setEngineGflops(slowdown.scaleThroughput(gemmGflops(192, threads, budgetMillis)))
                .build();
    }

    /** Median GFLOP/s of an n×n×n float32 MatMul in the tensor engine. */
    public static double gemmGflops(int n, int threads, long budgetMillis) {
        Model model = Model.load(matMulModel(n));
        float[] a = new float[n * n];
        float[] b = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 17) * 0.01f;
            b[i] = (i % 13) * 0.02f;
        }
        Map<String, Tensor> in = Map.of("A", Tensor.ofFloats(new int[] {n, n}, a), "B", Tensor.ofFloats(new int[] {n, n}, b));
        try (Session s = model.newSession(SessionOptions.defaults().withThreads(threads))) {
            long[] nanos = SessionTimer.warmAndTime(s, in, 200, budgetMillis);
            double flops = 2.0 * n * n * n;
            return Math.round(flops / Math.max(1, nanos[nanos.length / 2]) * 100) / 100.0;
        }
    }

    private static long totalMemoryBytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory();
    }

    /**
     * An ONNX model {@code C = MatMul(A, B)} over float32 {@code [n,n]} inputs, encoded by hand with
     * the field numbers of onnx.proto (ModelProto, GraphProto, NodeProto, ValueInfoProto, TypeProto).
     */
    static byte[] matMulModel(int n) {
        ByteString node = msg(o -> {
            o.writeString(1, "A");
            o.writeString(1, "B");
            o.writeString(2, "C");
            o.writeString(3, "gemm");
            o.writeString(4, "MatMul");
        });
        ByteString graph = msg(o -> {
            o.writeBytes(1, node);
            o.writeString(2, "device-profile-gemm");
            o.writeBytes(11, valueInfo("A", n));
            o.writeBytes(11, valueInfo("B", n));
            o.writeBytes(12, valueInfo("C", n));
        });
        ByteString opset = msg(o -> {
            o.writeString(1, "");
            o.writeInt64(2, 13);
        });
        return msg(o -> {
            o.writeInt64(1, 8);
            o.writeString(2, "continuum-agent");
            o.writeBytes(7, graph);
            o.writeBytes(8, opset);
        }).toByteArray();
    }

    private static ByteString valueInfo(String name, int n) {
        ByteString dim = msg(o -> o.writeInt64(1, n));
        ByteString shape = msg(o -> {
            o.writeBytes(1, dim);
            o.writeBytes(1, dim);
        });
        ByteString tensorType = msg(o -> {
            o.writeInt32(1, 1); // FLOAT
            o.writeBytes(2, shape);
        });
        ByteString type = msg(o -> o.writeBytes(1, tensorType));
        return msg(o -> {
            o.writeString(1, name);
            o.writeBytes(2, type);
        });
    }

    private interface Fields {
        void write(CodedOutputStream o) throws IOException;
    }

    private static ByteString msg(Fields f) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream o = CodedOutputStream.newInstance(bytes);
        try {
            f.write(o);
            o.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ByteString.copyFrom(bytes.toByteArray());
    }
}
