package dev.continuum.simulator;

import dev.continuum.agent.offload.CloudClient;
import dev.continuum.agent.offload.CloudTarget;
import dev.continuum.agent.offload.CloudUnreachableException;
import dev.continuum.engine.TensorInfo;
import dev.continuum.oip.OipTypes;
import dev.continuum.proto.v1.Placement;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.LongAdder;

/**
 * Makes up the requests every simulated device serves: each tick, per device and served model, a
 * Poisson number of requests at the device's rate (spread over its models), each with a latency from
 * the {@link LatencyModel} (edge or cloud, by placement) and failing as the {@link FailureModel} says,
 * recorded in the device's recorder exactly as the agent records real requests. With
 * {@code forwardEvery > 0}, every Nth request of a model placed in the cloud is really sent to the
 * controller's OIP endpoint with the device's credential (zero inputs of the declared shapes), and
 * its measured round trip is recorded instead.
 */
final class Traffic {
    private final SimulatorConfig config;
    private final HttpClient http = CloudClient.httpClient(Duration.ofSeconds(5));
    private final ExecutorService forwards;
    private final SplittableRandom random = new SplittableRandom(42);
    final LongAdder requests = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder forwarded = new LongAdder();

    Traffic(SimulatorConfig config, ExecutorService forwards) {
        this.config = config;
        this.forwards = forwards;
    }

    /** One tick of {@code seconds} for every device; called from one thread. */
    void tick(List<SimulatedDevice> devices, double seconds) {
        for (SimulatedDevice d : devices) {
            List<SimulatedDevice.Served> models = new ArrayList<>();
            d.served().forEach(models::add);
            if (models.isEmpty()) {
                continue;
            }
            double lambda = config.rate() * seconds / models.size();
            for (SimulatedDevice.Served m : models) {
                for (int n = poisson(lambda); n > 0; n--) {
                    request(d, m);
                }
            }
        }
    }

    private void request(SimulatedDevice d, SimulatedDevice.Served m) {
        requests.increment();
        boolean cloud = m.placement() == Placement.CLOUD;
        if (cloud && config.forwardEvery() > 0 && ++d.cloudRequests % config.forwardEvery() == 0) {
            forwards.execute(() -> forward(d, m));
            return;
        }
        boolean error = random.nextDouble() < config.failures().errorRate(m.model(), m.version());
        if (error) {
            errors.increment();
        }
        LatencyModel lm = config.latency();
        long micros = lm.withNoise(cloud ? lm.cloudMicros(m.info().flops(), d.rttMicros)
                : lm.edgeMicros(m.info().flops(), d.slowdown), random);
        if (cloud) {
            d.recorder.recordCloud(m.model(), m.version(), micros, error);
        } else {
            d.recorder.recordEdge(m.model(), m.version(), micros, error);
        }
    }

    /** A real request to the controller's OIP endpoint, as the agent forwards one. */
    private void forward(SimulatedDevice d, SimulatedDevice.Served m) {
        CloudClient client = new CloudClient(config.controller(), http, Duration.ofSeconds(10), () -> null, d::identity);
        long t0 = System.nanoTime();
        boolean error;
        try {
            CloudTarget t = new CloudTarget(m.model(), m.version(), m.sha256());
            error = client.post(t, "/infer", zeroRequest(m.info().inputs())).status() != 200;
        } catch (CloudUnreachableException e) {
            error = true;
        }
        forwarded.increment();
        if (error) {
            errors.increment();
        }
        long micros = (System.nanoTime() - t0) / 1000 + d.rttMicros;
        d.recorder.recordCloud(m.model(), m.version(), micros, error);
    }

    /** An OIP JSON request with zero-filled inputs of the declared shapes (a dynamic dimension as 1). */
    static byte[] zeroRequest(List<TensorInfo> inputs) {
        StringBuilder b = new StringBuilder("{\"inputs\":[");
        for (int i = 0; i < inputs.size(); i++) {
            TensorInfo in = inputs.get(i);
            int[] shape = in.shape() == null ? new int[] {1} : in.shape().clone();
            long count = 1;
            for (int k = 0; k < shape.length; k++) {
                shape[k] = Math.max(1, shape[k]);
                count *= shape[k];
            }
            String name = OipTypes.name(in.dataType());
            b.append(i == 0 ? "" : ",").append("{\"name\":\"").append(in.name()).append("\",\"datatype\":\"").append(name)
                    .append("\",\"shape\":").append(java.util.Arrays.toString(shape).replace(" ", "")).append(",\"data\":[");
            String zero = name.equals("BOOL") ? "false" : "0";
            for (long k = 0; k < count; k++) {
                b.append(k == 0 ? "" : ",").append(zero);
            }
            b.append("]}");
        }
        return b.append("]}").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A Poisson draw (Knuth's method; the rates per tick are small). */
    int poisson(double lambda) {
        if (lambda <= 0) {
            return 0;
        }
        if (lambda > 30) {
            return (int) Math.max(0, Math.round(lambda + Math.sqrt(lambda) * random.nextGaussian())); // normal approximation
        }
        double limit = Math.exp(-lambda);
        double p = 1;
        int k = 0;
        do {
            k++;
            p *= random.nextDouble();
        } while (p > limit);
        return k - 1;
    }
}
