package dev.continuum.agent.modelcache;

/** A download that could not complete; the message names the artifact and the step that failed. */
public class DownloadException extends Exception {
    private final boolean corrupt;

    public DownloadException(String message, boolean corrupt, Throwable cause) {
        super(message, cause);
        this.corrupt = corrupt;
    }

    /** True when the bytes received failed verification (as opposed to a transfer that stopped). */
    public boolean corrupt() {
        return corrupt;
    }
}
