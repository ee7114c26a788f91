package dev.continuum.controller.rollout;

import java.util.Map;

/**
 * A device as a rollout sees it, for one model.
 *
 * @param id               device id
 * @param online           whether its agent is connected now
 * @param assignedVersion  the version of the model the controller currently wants it to run (its desired
 *                         state), null when none
 * @param reported         what its agent last reported per version of the model (actual state)
 */
public record FleetDevice(String id, boolean online, String assignedVersion, Map<String, ReportedState> reported) {
    /** Mirrors the agent's {@code ModelStatus.State}. */
    public enum ReportedState { DOWNLOADING, SERVING, REMOTE, FAILED }

    public FleetDevice {
        reported = Map.copyOf(reported);
    }

    /** SERVING (edge) and REMOTE (placed in the cloud) both mean the version answers requests. */
    public boolean serving(String version) {
        ReportedState s = reported.get(version);
        return s == ReportedState.SERVING || s == ReportedState.REMOTE;
    }

    public boolean failed(String version) {
        return reported.get(version) == ReportedState.FAILED;
    }
}
