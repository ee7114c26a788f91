package dev.continuum.agent.telemetry;

import dev.continuum.proto.v1.DeviceVitals;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * The device's vitals for one telemetry interval:
 * <ul>
 *   <li>CPU load: the 1-minute system load average over the number of cores (negative where the
 *       platform has no load average, e.g. Windows);</li>
 *   <li>memory of the whole system (not the agent's process): total physical memory, and used =
 *       total − available, where available is Linux's {@code MemAvailable} (page cache that can be
 *       reclaimed counts as available) or, elsewhere, the free memory the JVM reports;</li>
 *   <li>round trip to the controller: p50/p95 of the most recent {@value #RECENT_ROUND_TRIPS}
 *       heartbeat round trips ({@link #recordRoundTrip}), so every batch carries a figure even when
 *       heartbeats are rarer than batches; 0 before the first one;</li>
 *   <li>uplink bandwidth: the {@link UplinkEstimate} from requests forwarded to the controller, 0
 *       until one was.</li>
 * </ul>
 */
public final class Vitals {
    private static final Path MEMINFO = Path.of("/proc/meminfo");

    static final int RECENT_ROUND_TRIPS = 20;

    private final long[] roundTripMicros = new long[RECENT_ROUND_TRIPS]; // ring of the most recent
    private long roundTrips;
    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private final UplinkEstimate uplink = new UplinkEstimate();

    /** Where forwarded requests are measured. */
    public UplinkEstimate uplink() {
        return uplink;
    }

    /** One heartbeat round trip to the controller; thread-safe. */
    public synchronized void recordRoundTrip(long micros) {
        roundTripMicros[(int) (roundTrips++ % RECENT_ROUND_TRIPS)] = micros;
    }

    /** The vitals now. */
    public DeviceVitals sample() {
        DeviceVitals.Builder b = DeviceVitals.newBuilder();
        double load = os.getSystemLoadAverage();
        b.setCpuLoad(load < 0 ? -1 : load / os.getAvailableProcessors());
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            long total = sun.getTotalMemorySize();
            long available = memAvailableBytes().orElse(sun.getFreeMemorySize());
            b.setMemoryTotalBytes(total).setMemoryUsedBytes(Math.max(0, total - available));
        }
        b.setUplinkBytesPerSecond(uplink.bytesPerSecond());
        synchronized (this) {
            int n = (int) Math.min(roundTrips, RECENT_ROUND_TRIPS);
            if (n > 0) {
                long[] recent = Arrays.copyOf(roundTripMicros, n);
                Arrays.sort(recent);
                b.setRttP50Micros(recent[(int) Math.ceil(0.5 * n) - 1]).setRttP95Micros(recent[(int) Math.ceil(0.95 * n) - 1]);
            }
        }
        return b.build();
    }

    /** Linux's estimate of memory available to new work without swapping. */
    static OptionalLong memAvailableBytes() {
        try {
            return parseMemAvailable(Files.readAllLines(MEMINFO));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    static OptionalLong parseMemAvailable(List<String> meminfo) {
        for (String line : meminfo) {
            if (line.startsWith("MemAvailable:")) {
                String[] parts = line.substring("MemAvailable:".length()).trim().split("\\s+");
                return OptionalLong.of(Long.parseLong(parts[0]) * 1024); // kB
            }
        }
        return OptionalLong.empty();
    }
}
