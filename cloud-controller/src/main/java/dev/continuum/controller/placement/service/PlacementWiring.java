package dev.continuum.controller.placement.service;

import dev.continuum.controller.placement.PlacementEngine;
import dev.continuum.controller.placement.Placer;
import dev.continuum.controller.placement.persistence.PlacementStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The plain-Java placement engine, wired to the controller's signals and the placement tables. */
@ApplicationScoped
public class PlacementWiring {
    @Produces
    @ApplicationScoped
    PlacementEngine engine(PlacementSettings settings, ControllerPlacementSignals signals, PlacementStore store) {
        return new PlacementEngine(new Placer(settings.config()), signals, store);
    }
}
