package dev.continuum.cli;

/** The exit codes a CI pipeline can rely on. */
public final class ExitCodes {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** The controller refused the request (4xx other than 401/403) or failed (5xx). */
    public static final int FAILED = 1;
    /** The command line was wrong: unknown command or option, missing argument, no controller URL. */
    public static final int USAGE = 2;
    /** The controller could not be reached (connection refused, DNS, timeout). */
    public static final int UNREACHABLE = 3;
    /** No token, or the controller refused it (401) or its role (403). */
    public static final int AUTH = 4;
    /**
     * {@code rollouts create --wait --timeout}: the rollout had not finished when the timeout ran out. It goes
     * on on the controller; wait again with {@code rollouts show}, or pause, abort or roll it back.
     */
    public static final int TIMEOUT = 5;

    private ExitCodes() {
    }
}
