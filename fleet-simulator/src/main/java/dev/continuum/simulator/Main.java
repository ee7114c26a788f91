package dev.continuum.simulator;

import dev.continuum.agent.profile.DeviceProfiler;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code continuum simulate --controller URL --bootstrap-token T --devices 1000 --labels sim=true
 * --rate 2 [--slowdown-spread 1..20] [--rtt-millis 5..50] [--bad-version M:V=RATE] [--data-dir D]};
 * prints a status line every few seconds. Exit codes: 0 stopped, 2 bad options.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$-7s [%3$s] %5$s%6$s%n");
        }
        java.util.logging.Logger.getLogger("dev.continuum.agent").setLevel(java.util.logging.Level.WARNING);
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println(usage());
            return;
        }
        SimulatorConfig config;
        try {
            boolean measure = Arrays.stream(args).noneMatch(a -> a.startsWith("--reference-gflops"));
            config = SimulatorConfig.parse(Arrays.asList(args), measure ? DeviceProfiler.gemmGflops(192, 1, 250) : 1);
        } catch (IllegalArgumentException e) {
            System.err.println("continuum simulate: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        System.out.printf("simulating %d devices against %s (reference %.2f GFLOP/s, slowdown %s, extra RTT %s ms, "
                        + "%s req/s each)%n", config.devices(), config.controller(), config.latency().referenceGflops(),
                config.slowdown(), config.rttMillis(), config.rate());
        Fleet fleet = new Fleet(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            fleet.close();
            stopped.countDown();
        }, "sim-shutdown"));
        fleet.start(line -> System.out.println(line));
        if (config.duration() != null) {
            if (!stopped.await(config.duration().toMillis(), TimeUnit.MILLISECONDS)) {
                System.out.println(fleet.statusLine());
                System.exit(0);
            }
        } else {
            stopped.await();
        }
    }

    static String usage() {
        return """
                usage: continuum simulate --controller URL --bootstrap-token T [options]
                  --devices N              simulated devices (default 10)
                  --labels k=v,...         labels every device asks for at enrolment
                  --rate R                 requests per second per device (default 1)
                  --slowdown-spread A..B   device slowdowns against the reference, spread evenly (default 1)
                  --rtt-millis A..B        extra round trip to the cloud per device, spread evenly (default 10)
                  --bad-version M:V=RATE   requests to model M version V fail at RATE (0..1); repeatable
                  --error-rate R           error rate of every other version (default 0)
                  --data-dir D             identities, outboxes, fetched artifacts (default ./sim-data)
                  --name-prefix P          device names P-0000, P-0001, ... (default sim)
                  --connections N          gRPC connections the devices share (default 1 per 100 devices)
                  --telemetry-devices N    devices publishing MQTT telemetry, the first N (default all)
                  --telemetry-broker URI   MQTT broker (default: the controller's)
                  --telemetry-interval D   time between telemetry batches (default: the controller's)
                  --forward-every N        really forward every Nth request of a cloud-placed model (default 0: none)
                  --ramp N                 devices started per second (default 50)
                  --heartbeat-interval D   heartbeats on each sync stream (default 15s)
                  --status-interval D      time between status lines (default 5s)
                  --duration D             stop after this long (default: until interrupted)
                  --reference-gflops G     throughput of a device with slowdown 1 (default: measured here)
                  --cloud-gflops G         the cloud's throughput for modelled cloud latency (default 50)
                  --base-latency-micros U  latency at slowdown 1 when a model's FLOPs are unknown (default 1000)
                  --noise N                latency noise, 1 + N x |N(0,1)| (default 0.1)""";
    }
}
