package dev.continuum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Objects;

/**
 * Follows a rollout until it ends, printing a line whenever its state or its current wave changes, and turns
 * the ending into an exit code: 0 COMPLETED; 1 ROLLED_BACK, FAILED or ABORTED; 3 after three polls in a row
 * could not reach the controller; 5 when the timeout runs out (the rollout goes on).
 */
final class RolloutWatch {
    static final int UNREACHABLE_POLLS = 3;

    private final ApiClient api;
    private final PrintStream out;
    private final boolean json;
    private final long pollMillis;
    private final Long deadlineNanos;
    private String lastState;
    private String lastWave;

    RolloutWatch(ApiClient api, PrintStream out, boolean json, double pollSeconds, Double timeoutSeconds) {
        this.api = api;
        this.out = out;
        this.json = json;
        this.pollMillis = Math.max(1, Math.round(pollSeconds * 1000));
        this.deadlineNanos = timeoutSeconds == null ? null
                : System.nanoTime() + Math.round(timeoutSeconds * 1_000_000_000L);
    }

    int follow(JsonNode created) {
        String id = created.path("id").asText();
        JsonNode r = created;
        int unreachable = 0;
        while (true) {
            report(r);
            String state = r.path("state").asText();
            if (!state.equals("RUNNING") && !state.equals("PAUSED")) {
                return end(r);
            }
            if (deadlineNanos != null && System.nanoTime() >= deadlineNanos) {
                if (json) {
                    Output.json(out, r);
                }
                throw new CliException(ExitCodes.TIMEOUT, "gave up waiting: rollout " + id + " is still " + state
                        + " (" + RolloutsCommand.wave(r) + "); it goes on on the controller");
            }
            sleep();
            try {
                r = api.get(RolloutsCommand.ROLLOUTS + "/" + ApiClient.enc(id));
                unreachable = 0;
            } catch (CliException e) {
                if (e.exitCode() != ExitCodes.UNREACHABLE || ++unreachable >= UNREACHABLE_POLLS) {
                    throw e;
                }
                out.printf("controller unreachable (%s); retrying%n", e.getMessage());
            }
        }
    }

    private void report(JsonNode r) {
        if (json) {
            return;
        }
        String state = r.path("state").asText();
        if (!state.equals(lastState)) {
            out.printf("%s %s: %s%n", r.path("id").asText(), state, r.path("stateReason").asText());
            lastState = state;
        }
        int current = r.path("currentWave").asInt();
        JsonNode w = r.path("waves").path(current);
        String wave = String.format("wave %d of %d (%s) %s: %d targeted, %d updated, %d healthy, %d failed", current + 1,
                r.path("waves").size(), w.path("size").asText(), w.path("state").asText(), w.path("targeted").asInt(),
                w.path("updated").asInt(), w.path("healthy").asInt(), w.path("failed").asInt());
        if (!Objects.equals(wave, lastWave)) {
            out.println("  " + wave);
            lastWave = wave;
        }
    }

    private int end(JsonNode r) {
        String state = r.path("state").asText();
        if (json) {
            Output.json(out, r);
        }
        if (state.equals("COMPLETED")) {
            if (!json) {
                out.printf("rollout %s COMPLETED: %s %s on every device of '%s'%n", r.path("id").asText(),
                        r.path("model").asText(), r.path("version").asText(), r.path("selector").asText());
            }
            return ExitCodes.OK;
        }
        throw new CliException(ExitCodes.FAILED, "rollout " + r.path("id").asText() + " " + state + ": "
                + r.path("stateReason").asText());
    }

    private void sleep() {
        try {
            Thread.sleep(pollMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.FAILED, "interrupted while waiting");
        }
    }
}
