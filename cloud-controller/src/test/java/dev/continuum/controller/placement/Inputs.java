package dev.continuum.controller.placement;

import dev.continuum.controller.placement.PlacementInputs.CloudSignals;
import dev.continuum.controller.placement.PlacementInputs.DeviceSignals;
import dev.continuum.controller.placement.PlacementInputs.ModelCost;

/**
 * Test inputs around one model: 1 GFLOP per inference, 8,000 input + 3,000 output bytes; a 10 MB/s uplink
 * (so transfer is 1.1 ms), cloud compute p95 4.9 ms and queueing 0.5 ms: cloud p95 = rtt + 6.5 ms.
 * With efficiency 0.5 the edge estimate is 2000 / GFLOP/s milliseconds.
 */
final class Inputs {
    static final ModelCost ONE_GFLOP = new ModelCost(1_000_000_000L, 8_000L, 3_000L);
    static final CloudSignals CLOUD = new CloudSignals(4_900L, 500L);
    static final long UPLINK = 10_000_000L;

    private Inputs() {
    }

    static PlacementInputs estimated(double gflops, double rttMillis, double budgetMillis) {
        return new PlacementInputs(budgetMillis, ONE_GFLOP,
                new DeviceSignals(gflops, Math.round(rttMillis * 1000), UPLINK), null, CLOUD);
    }

    /** Edge measured on the device at {@code edgeMillis}; RTT 12 ms, so cloud p95 is 18.5 ms. */
    static PlacementInputs measured(double edgeMillis, double budgetMillis) {
        return measured(edgeMillis, 12.0, budgetMillis);
    }

    static PlacementInputs measured(double edgeMillis, double rttMillis, double budgetMillis) {
        return new PlacementInputs(budgetMillis, ONE_GFLOP,
                new DeviceSignals(50.0, Math.round(rttMillis * 1000), UPLINK), Math.round(edgeMillis * 1000), CLOUD);
    }
}
