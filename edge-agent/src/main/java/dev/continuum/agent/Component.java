package dev.continuum.agent;

/**
 * One part of the agent with the agent's lifecycle: {@link Agent} starts components in order,
 * stops them in reverse order, and reports their health together.
 */
public interface Component {
    /** Starts the component; must return quickly (background work runs on its own threads). */
    void start() throws Exception;

    /** Stops the component and releases its threads and ports; safe to call more than once. */
    void stop();

    Health health();

    /** Whether a component does its job, and a line saying how it is. */
    record Health(String component, boolean healthy, String detail) {
    }
}
