package dev.continuum.controller.placement;

import java.time.Instant;

/**
 * Places one (device, model version) from what the ports know: reads the signals, the pin and the
 * previous state, evaluates with the {@link Placer}, records the decision and returns it. Plain Java;
 * the caller provides transactions and decides when to re-evaluate (on new telemetry, on a timer).
 */
public final class PlacementEngine {
    private final Placer placer;
    private final PlacementSignals signals;
    private final PlacementLedger ledger;

    public PlacementEngine(Placer placer, PlacementSignals signals, PlacementLedger ledger) {
        this.placer = placer;
        this.signals = signals;
        this.ledger = ledger;
    }

    public PlacementDecision place(String deviceId, String model, String version, double budgetMillis,
                                   PlacementPreference preference, Instant now) {
        Long edgeP95 = signals.edgeP95Micros(deviceId, model, version).stream().boxed().findFirst().orElse(null);
        PlacementInputs inputs = new PlacementInputs(budgetMillis, signals.modelCost(model, version),
                signals.device(deviceId), edgeP95, signals.cloud(model, version));
        Placer.Evaluation e = placer.evaluate(inputs, preference, ledger.pin(deviceId, model).orElse(null),
                ledger.state(deviceId, model).orElse(null), now);
        ledger.record(deviceId, model, version, e.decision(), e.next());
        return e.decision();
    }
}
