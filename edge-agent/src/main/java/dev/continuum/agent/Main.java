package dev.continuum.agent;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code continuum agent --controller URL [--bootstrap-token T] [--name N] [--labels k=v,...]
 * [--data-dir D] [--http-port P] [--grpc-port G] [--config FILE] ...}; see {@link AgentConfig}.
 * Exit codes: 0 stopped by a signal, 1 could not start, 2 bad configuration.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$-7s [%3$s] %5$s%6$s%n");
        }
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(usage());
            return;
        }
        AgentConfig config;
        try {
            config = AgentConfig.load(Arrays.asList(args), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("continuum agent: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        Agent agent = new Agent(config);
        try {
            agent.start();
        } catch (Exception e) {
            Logger.getLogger(Main.class.getName()).log(Level.SEVERE, "the agent could not start: " + e.getMessage(), e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long t0 = System.nanoTime();
            agent.stop();
            // java.util.logging may already be shut down by its own hook: write this line directly
            System.err.printf("continuum agent stopped in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            stopped.countDown();
        }, "agent-shutdown"));
        stopped.await();
    }

    static String usage() {
        return """
                usage: continuum agent --controller URL [options]
                  --controller URL        controller base URL (http:// or https://)
                  --bootstrap-token T     enrolment token (needed until the agent has enrolled)
                  --name N                device name (default: host name)
                  --labels k=v,...        labels asked for at enrolment
                  --data-dir D            identity, desired state, downloads, models (default ./agent-data)
                  --bind ADDR             address of the local APIs (default 127.0.0.1)
                  --http-port P           OIP v2 REST port (default 8000; 0 = any free port)
                  --grpc-port G           OIP v2 gRPC port (default 8001; -1 = off)
                  --engine-threads N      threads per inference (default min(cores, 4))
                  --heartbeat-interval S  seconds between heartbeats (default 15)
                  --reconnect-min S, --reconnect-max S   reconnect backoff bounds (default 0.5, 60)
                  --chunk-size B          artifact chunk size (default 256K)
                  --telemetry-broker URI  MQTT broker tcp://host:port or ssl://host:port (default: the controller's)
                  --telemetry-interval D  time between telemetry batches, e.g. 5s (default: the controller's, else 5s)
                  --outbox-max-bytes B    telemetry kept on disk while the broker is unreachable (default 16M)
                  --outbox-max-age D      older telemetry is dropped unsent (default 7d)
                  --offload-timeout D     longest wait for the controller's answer to a request forwarded to the cloud (default 10s)
                  --offload-connect-timeout D   longest wait for a connection to the controller when forwarding (default 2s)
                  --offload-fallback local|none run models placed in the cloud locally when the controller is unreachable
                                          (local, default: they are installed too) or answer 503 (none: not installed)
                  --emulate-slowdown F    emulate a device F times slower: every local inference takes F x its time,
                                          the device profile and latency probe report as much (default 1 = off)
                  --config FILE           properties file with the same keys (controller=..., http-port=...)
                every key also reads from CONTINUUM_AGENT_<KEY> (e.g. CONTINUUM_AGENT_BOOTSTRAP_TOKEN)""";
    }
}
