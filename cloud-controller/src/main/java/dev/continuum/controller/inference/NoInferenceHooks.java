package dev.continuum.controller.inference;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;

/** The production {@link InferenceHooks}: nothing is held. */
@ApplicationScoped
@DefaultBean
public class NoInferenceHooks implements InferenceHooks {
    @Override
    public void beforeLoad(String sha256) {
    }

    @Override
    public void beforeRun(String model, String version) {
    }
}
