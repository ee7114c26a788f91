package dev.continuum.controller.placement;

/**
 * The edge p95 a decision used.
 *
 * @param p95Millis   null when {@code basis} is UNKNOWN
 * @param basis       where the number comes from
 * @param efficiency  the efficiency factor applied when ESTIMATED, else null
 */
public record EdgeEstimate(Double p95Millis, Basis basis, Double efficiency) {
    public enum Basis {
        /** Measured on the device after install. */
        MEASURED,
        /** Model FLOPs / (device GFLOP/s × efficiency): nothing measured yet. */
        ESTIMATED,
        /** Neither a measurement nor the FLOPs and GFLOP/s to estimate from. */
        UNKNOWN
    }

    public EdgeEstimate {
        if ((p95Millis == null) != (basis == Basis.UNKNOWN)) {
            throw new IllegalArgumentException("edge p95Millis must be null exactly when the basis is UNKNOWN, got "
                    + p95Millis + " with " + basis);
        }
    }

    public boolean known() {
        return p95Millis != null;
    }
}
