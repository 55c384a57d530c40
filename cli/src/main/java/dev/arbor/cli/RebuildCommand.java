package dev.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;

/** {@code arbor rebuild}: rebuild the read model into shadow tables and switch over, following progress. */
@Command(name = "rebuild", description = "Rebuild the read model from the events into shadow tables while the live "
        + "ones keep serving, then switch over atomically; follows progress until done.")
final class RebuildCommand implements Runnable {

    private static final String PATH = "/api/v1/admin/rebuild";

    @ParentCommand
    private Arbor arbor;

    @Spec
    private CommandSpec spec;

    @Option(names = "--timeout", defaultValue = "PT1H", description = "How long to follow the rebuild (default 1 h).")
    private Duration timeout;

    @Override
    public void run() {
        JsonNode status = arbor.api().post(PATH);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Rebuilding the read model up to position " + status.get("head").asLong() + " in shadow tables.");
        Instant deadline = Instant.now().plus(timeout);
        while (status.get("state").asText().equals("BUILDING") || status.get("state").asText().equals("SWITCHING")) {
            if (Instant.now().isAfter(deadline)) {
                throw new AdminApi.Failure("still rebuilding after " + timeout + "; follow it with GET " + PATH);
            }
            ReplayCommand.pause();
            status = arbor.api().get(PATH);
            out.printf("  %s: position %d of %d%n", status.get("state").asText(), status.get("folded").asLong(),
                       status.get("head").asLong());
            out.flush();
        }
        status.get("unprojectableEvents").forEach(event -> out.println("UNPROJECTABLE " + event.asText()));
        if (!status.get("state").asText().equals("DONE")) {
            throw new AdminApi.Failure("rebuild " + status.get("state").asText() + ": " + status.get("error").asText());
        }
        out.println("Rebuild done: the read model now comes from the rebuilt tables.");
    }
}
