package dev.continuum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code continuum rollouts create|list|show|pause|resume|abort|rollback}. */
@Command(name = "rollouts", description = "Roll model versions out to devices wave by wave behind health gates.",
        subcommands = {RolloutCreateCommand.class, RolloutsCommand.ListRollouts.class, RolloutsCommand.Show.class,
                RolloutsCommand.Pause.class, RolloutsCommand.Resume.class, RolloutsCommand.Abort.class,
                RolloutsCommand.Rollback.class})
final class RolloutsCommand {
    static final String ROLLOUTS = "/api/v1/rollouts";

    private RolloutsCommand() {
    }

    @Command(name = "list", description = "List rollouts, newest first.")
    static final class ListRollouts extends ApiCommand {
        @Option(names = "--model", description = "Only rollouts of this model")
        String model;

        @Option(names = "--state", description = "Only rollouts in this state: RUNNING, PAUSED, COMPLETED, ROLLED_BACK, "
                + "FAILED, ABORTED")
        String state;

        @Override
        public Integer call() {
            String path = ROLLOUTS + "?limit=500" + (model == null ? "" : "&model=" + ApiClient.enc(model))
                    + (state == null ? "" : "&state=" + ApiClient.enc(state));
            List<JsonNode> items = all(path);
            return printList(items, () -> Output.table(main().out, items,
                    List.of("ID", "MODEL", "VERSION", "STATE", "WAVE", "TOUCHED", "SELECTOR", "CREATED"),
                    r -> r.path("id").asText(), r -> r.path("model").asText(), r -> r.path("version").asText(),
                    r -> r.path("state").asText(), RolloutsCommand::wave, r -> r.path("touchedDevices").asText(),
                    r -> r.path("selector").asText(), r -> r.path("createdAt").asText()));
        }
    }

    @Command(name = "show", description = "Show a rollout: state and why, each wave's progress, the devices it planned.")
    static final class Show extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            JsonNode r = api().get(ROLLOUTS + "/" + ApiClient.enc(id));
            return print(r, () -> show(main(), r));
        }
    }

    /** A command that changes a rollout's state. */
    abstract static class StateCommand extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        abstract String action();

        @Override
        public Integer call() {
            JsonNode r = api().post(ROLLOUTS + "/" + ApiClient.enc(id) + "/" + action(), java.util.Map.of());
            return print(r, () -> main().out.printf("%s: %s (%s)%n", r.path("id").asText(), r.path("state").asText(),
                    r.path("stateReason").asText()));
        }
    }

    @Command(name = "pause", description = "Pause a RUNNING rollout: nothing changes until it is resumed.")
    static final class Pause extends StateCommand {
        @Override
        String action() {
            return "pause";
        }
    }

    @Command(name = "resume", description = "Resume a PAUSED rollout.")
    static final class Resume extends StateCommand {
        @Override
        String action() {
            return "resume";
        }
    }

    @Command(name = "abort", description = "Stop a RUNNING or PAUSED rollout; devices keep what they have.")
    static final class Abort extends StateCommand {
        @Override
        String action() {
            return "abort";
        }
    }

    @Command(name = "rollback", description = "Put every device the rollout touched back on the version it had.")
    static final class Rollback extends StateCommand {
        @Override
        String action() {
            return "rollback";
        }
    }

    /** "2/4 ACTIVE": the current wave (1-based) of how many, and its state. */
    static String wave(JsonNode r) {
        int current = r.path("currentWave").asInt();
        JsonNode w = r.path("waves").path(current);
        return (current + 1) + "/" + r.path("waves").size() + " " + w.path("state").asText();
    }

    static void show(Main main, JsonNode r) {
        String alias = r.hasNonNull("alias") ? " (alias " + r.get("alias").asText() + ")" : "";
        Output.fields(main.out, new String[][] {
                {"id", r.path("id").asText()},
                {"model", r.path("model").asText() + " " + r.path("version").asText() + alias},
                {"selector", r.path("selector").asText()},
                {"budget", r.path("budgetMillis").asText() + " ms, " + r.path("preference").asText()},
                {"state", r.path("state").asText() + " since " + r.path("stateChangedAt").asText()},
                {"reason", r.path("stateReason").asText()},
                {"message", Output.text(r.path("message"))},
                {"touched", r.path("touchedDevices").asText() + " device(s)"}});
        main.out.println();
        Output.table(main.out, list(r.path("waves")),
                List.of("WAVE", "SIZE", "TARGET", "STATE", "TARGETED", "UPDATED", "HEALTHY", "FAILED", "OFFLINE", "STARTED"),
                w -> String.valueOf(w.path("index").asInt() + 1), w -> w.path("size").asText(),
                w -> w.path("target").asText(), w -> w.path("state").asText(), w -> w.path("targeted").asText(),
                w -> w.path("updated").asText(), w -> w.path("healthy").asText(), w -> w.path("failed").asText(),
                w -> w.path("offline").asText(), w -> Output.text(w.path("startedAt")));
        if (r.path("devices").size() > 0) {
            main.out.println();
            Output.table(main.out, list(r.path("devices")), List.of("DEVICE", "WAVE", "TOUCHED", "PREVIOUS"),
                    d -> d.path("device").asText(), d -> String.valueOf(d.path("wave").asInt() + 1),
                    d -> d.path("touched").asBoolean() ? "yes" : "no", d -> Output.text(d.path("previousVersion")));
        }
    }

    private static List<JsonNode> list(JsonNode array) {
        java.util.List<JsonNode> out = new java.util.ArrayList<>();
        array.forEach(out::add);
        return out;
    }
}
