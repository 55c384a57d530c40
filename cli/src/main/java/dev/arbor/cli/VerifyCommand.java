package dev.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code arbor verify}: rebuild from the events, diff with the read model; exit 1 on any mismatch. */
@Command(name = "verify", description = "Rebuild the read model (accounts, users, devices) from the event store and compare it with the live one, "
        + "and check that the audit log holds every stored event once. Prints each mismatch; exits 1 when there is one.")
final class VerifyCommand implements Callable<Integer> {

    /** Exit code when the read model differs from what the events say. */
    static final int MISMATCH = 1;

    @ParentCommand
    private Arbor arbor;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        JsonNode report = arbor.api().post("/api/v1/admin/verify");
        PrintWriter out = spec.commandLine().getOut();
        if (arbor.json) {
            out.println(AdminApi.pretty(report));
        } else {
            out.println("Folded " + report.get("eventsFolded").asLong() + " events; checked " + report.get("rowsChecked"));
            report.get("mismatches").forEach(mismatch -> out.printf(
                    "MISMATCH %s %s%n  expected %s%n  actual   %s%n", mismatch.get("table").asText(),
                    mismatch.get("id").asText(), mismatch.get("expected").asText("(no row)"),
                    mismatch.get("actual").asText("(no row)")));
            report.get("unprojectableEvents").forEach(event -> out.println("UNPROJECTABLE " + event.asText()));
            printAuditLog(report.get("auditLog"), out);
            out.println(report.get("consistent").asBoolean() ? "Consistent." : "NOT consistent.");
        }
        return report.get("consistent").asBoolean() ? 0 : MISMATCH;
    }

    private static void printAuditLog(JsonNode audit, PrintWriter out) {
        int gaps = audit.path("gapsAwaited").asInt();
        out.println("Audit log checked through position " + audit.get("checkedThrough").asLong()
                    + (gaps > 0 ? " (but " + gaps + " positions still awaited as gaps)" : "") + ": "
                    + audit.get("missing").asLong() + " events missing");
        if (audit.get("missing").asLong() > 0) {
            out.println("MISSING FROM THE AUDIT LOG, first positions: " + audit.get("firstMissing"));
        }
        if (!audit.get("doubled").isEmpty()) {
            out.println("DOUBLED IN THE AUDIT LOG, first positions: " + audit.get("doubled"));
        }
        if (!audit.get("unknown").isEmpty()) {
            out.println("IN THE AUDIT LOG BUT NOT IN THE STORE, first positions: " + audit.get("unknown"));
        }
    }
}
