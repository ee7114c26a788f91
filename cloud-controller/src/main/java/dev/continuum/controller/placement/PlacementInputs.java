package dev.continuum.controller.placement;

/**
 * Every number a placement decision for one (device, model version) rests on. A {@code null} field
 * means "not known"; the decision then states the assumption it made instead (see {@link PlacementConfig}).
 *
 * @param budgetMillis   the rollout's latency budget for one inference, end to end, milliseconds (&gt; 0)
 * @param model          what the registry knows of the model version
 * @param device         what the device reported of itself and its link
 * @param edgeP95Micros  p95 of one inference measured on the device for this version; null before install
 * @param cloud          the controller's own inference statistics for this version
 */
public record PlacementInputs(double budgetMillis, ModelCost model, DeviceSignals device, Long edgeP95Micros,
                              CloudSignals cloud) {
    public PlacementInputs {
        if (!(budgetMillis > 0) || Double.isInfinite(budgetMillis)) {
            throw new IllegalArgumentException("budgetMillis must be a positive number of milliseconds, got "
                    + budgetMillis);
        }
        model = model == null ? ModelCost.UNKNOWN : model;
        device = device == null ? DeviceSignals.UNKNOWN : device;
        cloud = cloud == null ? CloudSignals.UNKNOWN : cloud;
        nonNegative("edgeP95Micros", edgeP95Micros);
    }

    /**
     * The registry's facts about a model version.
     *
     * @param flops        floating-point operations of one inference at batch 1 (registry, from {@code ModelSummary})
     * @param inputBytes   bytes of one request's inputs as sent to the cloud
     * @param outputBytes  bytes of one response's outputs
     */
    public record ModelCost(Long flops, Long inputBytes, Long outputBytes) {
        public static final ModelCost UNKNOWN = new ModelCost(null, null, null);

        public ModelCost {
            nonNegative("flops", flops);
            nonNegative("inputBytes", inputBytes);
            nonNegative("outputBytes", outputBytes);
        }
    }

    /**
     * What the device reported.
     *
     * @param engineGflops          tensor-engine throughput from the device profile, GFLOP/s (&gt; 0)
     * @param rttP95Micros          p95 round trip device → controller, from heartbeats
     * @param uplinkBytesPerSecond  measured transfer rate device → controller (&gt; 0)
     */
    public record DeviceSignals(Double engineGflops, Long rttP95Micros, Long uplinkBytesPerSecond) {
        public static final DeviceSignals UNKNOWN = new DeviceSignals(null, null, null);

        public DeviceSignals {
            if (engineGflops != null && !(engineGflops > 0 && Double.isFinite(engineGflops))) {
                throw new IllegalArgumentException("engineGflops must be positive when known, got " + engineGflops);
            }
            nonNegative("rttP95Micros", rttP95Micros);
            if (uplinkBytesPerSecond != null && uplinkBytesPerSecond <= 0) {
                throw new IllegalArgumentException("uplinkBytesPerSecond must be positive when known, got "
                        + uplinkBytesPerSecond);
            }
        }
    }

    /**
     * The controller's inference statistics for the model version.
     *
     * @param computeP95Micros  p95 of one inference in the cloud engine
     * @param queueP95Micros    p95 of the wait before a cloud inference starts
     */
    public record CloudSignals(Long computeP95Micros, Long queueP95Micros) {
        public static final CloudSignals UNKNOWN = new CloudSignals(null, null);

        public CloudSignals {
            nonNegative("computeP95Micros", computeP95Micros);
            nonNegative("queueP95Micros", queueP95Micros);
        }
    }

    private static void nonNegative(String field, Long value) {
        if (value != null && value < 0) {
            throw new IllegalArgumentException(field + " must not be negative, got " + value);
        }
    }
}
