package dev.continuum.controller.placement;

import dev.continuum.controller.placement.PlacementInputs.CloudSignals;
import dev.continuum.controller.placement.PlacementInputs.DeviceSignals;
import dev.continuum.controller.placement.PlacementInputs.ModelCost;
import java.util.List;

/** Turns inputs into edge and cloud p95 estimates, writing down every assumption it has to make. */
final class Estimator {
    private final PlacementConfig config;

    Estimator(PlacementConfig config) {
        this.config = config;
    }

    EdgeEstimate edge(PlacementInputs in, List<String> assumptions) {
        if (in.edgeP95Micros() != null) {
            return new EdgeEstimate(in.edgeP95Micros() / 1000.0, EdgeEstimate.Basis.MEASURED, null);
        }
        Long flops = in.model().flops();
        Double gflops = in.device().engineGflops();
        if (flops != null && gflops != null) {
            double millis = flops / (gflops * config.edgeEfficiency() * 1e6);
            assumptions.add("edge p95 not measured yet: estimated from " + Fmt.gflop(flops) + " GFLOP at "
                    + Fmt.one(gflops) + " GFLOP/s × efficiency " + Fmt.num(config.edgeEfficiency()));
            return new EdgeEstimate(millis, EdgeEstimate.Basis.ESTIMATED, config.edgeEfficiency());
        }
        assumptions.add("edge p95 unknown: not measured and " + (gflops == null
                ? "the device reports no GFLOP/s" : "the model's FLOPs are unknown"));
        return new EdgeEstimate(null, EdgeEstimate.Basis.UNKNOWN, null);
    }

    CloudEstimate cloud(PlacementInputs in, List<String> assumptions) {
        DeviceSignals device = in.device();
        ModelCost model = in.model();
        CloudSignals cloud = in.cloud();

        double rtt;
        if (device.rttP95Micros() != null) {
            rtt = device.rttP95Micros() / 1000.0;
        } else {
            rtt = config.assumedRttMillis();
            assumptions.add("no RTT measured yet: assumed " + Fmt.one(rtt) + " ms");
        }

        long bytes = 0;
        if (model.inputBytes() == null || model.outputBytes() == null) {
            assumptions.add("request size unknown: transfer of unknown inputs/outputs assumed 0 ms");
        }
        bytes += model.inputBytes() == null ? 0 : model.inputBytes();
        bytes += model.outputBytes() == null ? 0 : model.outputBytes();
        long uplink;
        if (device.uplinkBytesPerSecond() != null) {
            uplink = device.uplinkBytesPerSecond();
        } else {
            uplink = config.assumedUplinkBytesPerSecond();
            if (bytes > 0) {
                assumptions.add("no uplink measured yet: assumed " + Fmt.rate(uplink));
            }
        }
        double transfer = bytes * 1000.0 / uplink;

        Double compute;
        if (cloud.computeP95Micros() != null) {
            compute = cloud.computeP95Micros() / 1000.0;
        } else if (model.flops() != null) {
            compute = model.flops() / (config.cloudGflops() * 1e6);
            assumptions.add("no cloud compute statistics yet: estimated " + Fmt.one(compute) + " ms from "
                    + Fmt.gflop(model.flops()) + " GFLOP at " + Fmt.one(config.cloudGflops()) + " GFLOP/s");
        } else {
            compute = null;
            assumptions.add("cloud p95 unknown: no cloud compute statistics and the model's FLOPs are unknown");
        }

        double queue;
        if (cloud.queueP95Micros() != null) {
            queue = cloud.queueP95Micros() / 1000.0;
        } else {
            queue = 0;
            assumptions.add("no cloud queue statistics yet: queueing assumed 0 ms");
        }
        Double p95 = compute == null ? null : rtt + transfer + compute + queue;
        return new CloudEstimate(p95, rtt, transfer, compute, queue);
    }
}
