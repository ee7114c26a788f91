package dev.continuum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "login", description = "Check a controller URL and API token and keep them in the config file.")
final class LoginCommand extends ApiCommand {
    @Option(names = "--url", required = true, description = "Controller base URL, e.g. http://localhost:8080")
    String url;

    @Option(names = "--token", description = "API token (default: $CONTINUUM_TOKEN, or read from stdin)")
    String token;

    @Override
    public Integer call() throws Exception {
        String t = token;
        if (t == null) {
            t = main().env.get("CONTINUUM_TOKEN");
        }
        if (t == null) {
            t = new String(System.in.readAllBytes()).strip();
        }
        JsonNode me = new ApiClient(url, t).get("/api/v1/whoami");
        CliConfig config = main().config();
        config.save(url, t);
        return print(me, () -> main().out.printf("Logged in to %s as %s (role %s); saved to %s%n", url,
                me.path("name").asText(), me.path("role").asText(), config.file));
    }
}
