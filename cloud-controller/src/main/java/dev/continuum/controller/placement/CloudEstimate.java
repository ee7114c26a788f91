package dev.continuum.controller.placement;

/**
 * The cloud p95 a decision used: {@code rtt + transfer + compute + queue}, each a p95 (so the sum is an
 * upper-side estimate of the p95 of the sum). Parts that were not measured hold the assumed value the
 * decision's assumptions name.
 *
 * @param p95Millis       the sum; null when the compute time is unknown
 * @param rttMillis       device → controller round trip, p95
 * @param transferMillis  (input bytes + output bytes) / uplink bytes per second
 * @param computeMillis   cloud inference p95; null when neither measured nor estimable from FLOPs
 * @param queueMillis     wait before a cloud inference starts, p95
 */
public record CloudEstimate(Double p95Millis, double rttMillis, double transferMillis, Double computeMillis,
                            double queueMillis) {
    public CloudEstimate {
        if ((p95Millis == null) != (computeMillis == null)) {
            throw new IllegalArgumentException("cloud p95Millis must be null exactly when computeMillis is, got "
                    + p95Millis + " and " + computeMillis);
        }
    }

    public boolean known() {
        return p95Millis != null;
    }
}
