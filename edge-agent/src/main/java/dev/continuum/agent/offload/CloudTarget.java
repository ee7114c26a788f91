package dev.continuum.agent.offload;

import java.util.Objects;

/** A model version the desired state places in the cloud: where its requests are forwarded. */
public record CloudTarget(String model, String version, String sha256) {
    public CloudTarget {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(sha256, "sha256");
    }

    /** How messages name it: {@code model 'lenet' version '1'}. */
    public String describe() {
        return "model '" + model + "' version '" + version + "'";
    }
}
