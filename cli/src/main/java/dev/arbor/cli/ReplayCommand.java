package dev.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/** {@code arbor replay <processor> [--from <instant>]}: replays, and shows progress until caught up. */
@Command(name = "replay", description = "Replay an event processor from the first event (its tables are emptied and "
        + "rebuilt) or from an instant, and follow its progress until it has caught up.")
final class ReplayCommand implements Runnable {

    @ParentCommand
    private Arbor arbor;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "<processor>", description = "accounts (the read model) or audit (the audit log).")
    private String processor;

    @Option(names = "--from", paramLabel = "<instant>",
            description = "Replay the events from this ISO-8601 instant on, e.g. 2026-11-01T00:00:00Z.")
    private Instant from;

    @Option(names = "--no-wait", description = "Start the replay and return at once.")
    private boolean noWait;

    @Option(names = "--timeout", defaultValue = "PT1H", description = "How long to follow the replay (default 1 h).")
    private Duration timeout;

    @Override
    public void run() {
        String path = "/api/v1/admin/processors/" + URLEncoder.encode(processor, StandardCharsets.UTF_8);
        JsonNode status = arbor.api().post(path + "/replay" + (from == null ? "" : "?from=" + from));
        PrintWriter out = spec.commandLine().getOut();
        out.println("Replaying " + processor + (from == null ? " from the first event" : " from " + from)
                            + "; " + status.get("head").asLong() + " is the last event's position.");
        Instant deadline = Instant.now().plus(timeout);
        while (!noWait && !caughtUp(status)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AdminApi.Failure("still replaying after " + timeout + "; follow it with arbor processors");
            }
            pause();
            status = arbor.api().get(path);
            out.printf("  %s: %d%% (position %s, %d behind)%n", processor, percent(status),
                       status.get("position").asText(), status.get("lag").asLong());
            out.flush();
        }
        out.println(noWait ? "Replay started." : "Replay done: " + processor + " has caught up.");
    }

    private static boolean caughtUp(JsonNode status) {
        return !status.get("replaying").asBoolean() && status.get("lag").asLong() == 0;
    }

    private static long percent(JsonNode status) {
        long head = Math.max(1, status.get("head").asLong());
        long position = status.get("position").isNull() ? 0 : status.get("position").asLong();
        return Math.min(100, Math.round(100.0 * position / head));
    }

    static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AdminApi.Failure("interrupted");
        }
    }
}
