package dev.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;

/**
 * {@code arbor processors}: every event processor, with its last error on the node that answers, and each segment's
 * owner, position, lag, replay progress and current error.
 */
@Command(name = "processors", description = "List the query side's event processors: segments, owners, position, "
        + "lag (events behind the head of the store), replay progress, errors.")
final class ProcessorsCommand implements Runnable {

    @ParentCommand
    private Arbor arbor;

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        JsonNode processors = arbor.api().get("/api/v1/admin/processors");
        PrintWriter out = spec.commandLine().getOut();
        if (arbor.json) {
            out.println(AdminApi.pretty(processors));
            return;
        }
        for (JsonNode processor : processors) {
            print(out, processor);
        }
    }

    static void print(PrintWriter out, JsonNode processor) {
        out.printf("%s  %s  position %s of %d  lag %d%s%n", processor.get("name").asText(),
                   processor.get("state").asText(), processor.get("position").asText(), processor.get("head").asLong(),
                   processor.get("lag").asLong(), processor.get("replaying").asBoolean() ? "  REPLAYING" : "");
        JsonNode lastError = processor.get("lastError");
        if (lastError != null && !lastError.isNull()) {
            out.printf("  last error at %s: %s%n", lastError.get("at").asText(), lastError.get("error").asText());
        }
        out.printf("  %-8s %-30s %-10s %-8s %-9s %s%n", "segment", "owner", "position", "lag", "replay", "error");
        for (JsonNode segment : processor.get("segments")) {
            JsonNode progress = segment.get("replayProgress");
            out.printf("  %-8d %-30s %-10s %-8d %-9s %s%n", segment.get("segment").asInt(),
                       segment.get("owner").isNull() ? "-" : segment.get("owner").asText()
                               + (segment.get("thisNode").asBoolean() ? " *" : ""),
                       segment.get("position").asText(), segment.get("lag").asLong(),
                       progress == null || progress.isNull() ? "-" : Math.round(progress.asDouble() * 100) + "%",
                       segment.get("error").isNull() ? "" : segment.get("error").asText());
        }
    }
}
