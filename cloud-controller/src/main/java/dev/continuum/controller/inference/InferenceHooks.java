package dev.continuum.controller.inference;

/**
 * Points inside cloud inference where tests can hold a request (to prove that concurrent first
 * requests load a model once, or that a full queue refuses). The default does nothing.
 */
public interface InferenceHooks {
    /** On the loading thread, before the artifact {@code sha256} is read. */
    void beforeLoad(String sha256);

    /** On a compute thread, before a run of {@code model} version {@code version} starts. */
    void beforeRun(String model, String version);
}
