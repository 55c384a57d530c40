package dev.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** {@code arbor dead-letters [list | retry <group> | evict <group> <id>]}. */
@Command(name = "dead-letters", description = "Events the processors could not handle, parked with the events of "
        + "their organization behind them: list them (default), retry a processing group's, or evict one.")
final class DeadLettersCommand implements Runnable {

    private static final String PATH = "/api/v1/admin/dead-letters";

    @ParentCommand
    private Arbor arbor;

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        list();
    }

    @Command(name = "list", description = "List every parked event.")
    void list() {
        JsonNode letters = arbor.api().get(PATH);
        PrintWriter out = spec.commandLine().getOut();
        if (arbor.json) {
            out.println(AdminApi.pretty(letters));
            return;
        }
        out.println(letters.size() + " dead letter(s)");
        for (JsonNode letter : letters) {
            out.printf("%s  %s  %s  event %s of %s #%s, parked %s%n  %s%n", letter.get("processingGroup").asText(),
                       letter.get("id").asText(), letter.get("type").asText(), letter.get("eventId").asText(),
                       letter.get("aggregateId").asText(), letter.get("aggregateSequence").asText(),
                       letter.get("enqueuedAt").asText(), letter.get("cause").asText());
        }
    }

    @Command(name = "retry", description = "Retry every parked sequence of a processing group once.")
    void retry(@Parameters(paramLabel = "<group>") String group) {
        JsonNode retry = arbor.api().post(PATH + "/" + encode(group) + "/retry");
        spec.commandLine().getOut().printf("Retried %d sequence(s): %d cleared, %d letter(s) still parked.%n",
                                           retry.get("sequencesTried").asInt(), retry.get("sequencesCleared").asInt(),
                                           retry.get("lettersLeft").asLong());
    }

    @Command(name = "evict", description = "Drop one parked event for good (it stays in the event store).")
    void evict(@Parameters(paramLabel = "<group>") String group, @Parameters(paramLabel = "<id>") String id) {
        JsonNode letter = arbor.api().delete(PATH + "/" + encode(group) + "/" + encode(id));
        spec.commandLine().getOut().println("Evicted " + letter.get("type").asText() + " "
                                                    + letter.get("eventId").asText() + ".");
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }
}
