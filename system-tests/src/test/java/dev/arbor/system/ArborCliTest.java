package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.cli.Arbor;
import dev.arbor.local.TestTokens;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The {@code arbor} CLI against the running query side: what an operator types and reads. */
class ArborCliTest {

    private final RunningArbor arbor = RunningArbor.get();
    private final Commands commands = new Commands(arbor.commandSide);
    private final PoisonedEvents poison = new PoisonedEvents(arbor);

    record Run(int exitCode, String out, String err) {
    }

    /**
     * Caught up, each processor is at the head of the store with no lag, and each segment, in order, shows its owner
     * in the token store (this JVM's node, so marked {@code *}), the head as its position, no lag, no replay, no error.
     */
    @Test
    void listsTheProcessorsWithEachSegmentsOwnerPositionAndLag() {
        commands.create("/api/v1/accounts", "{\"name\": \"Listed\", \"seats\": 0}");
        List.of("accounts", "audit").forEach(processor -> Processors.awaitCaughtUp(arbor.querySide, processor));
        long head = arbor.store.head();
        String thisNode = ManagementFactory.getRuntimeMXBean().getName();

        Run run = arbor("processors");

        assertThat(run.exitCode()).isZero();
        List<String> lines = run.out().lines().toList();
        for (String processor : List.of("accounts", "audit")) {
            List<String> segments = linesUnder(lines, processor + "  RUNNING  position " + head + " of " + head
                                                      + "  lag 0").stream()
                    .filter(line -> line.matches(" +\\d+ .*")).toList();
            Map<Integer, String> owners = arbor.store.ownersBySegment(processor);
            assertThat(owners.values()).as("%s's claims", processor).containsOnly(thisNode);
            // segment, owner (* for the node answering), position, lag, replay progress, error
            assertThat(segments).hasSize(owners.size()).zipSatisfy(List.copyOf(owners.keySet()), (line, id) ->
                    assertThat(line).matches(" +" + id + " +" + Pattern.quote(thisNode) + " \\* +" + head
                                             + " +0 +- *"));
        }
    }

    @Test
    void replaysAProcessorAndFollowsItUntilItHasCaughtUp() {
        arbor.store.awaitEveryEventInTheAuditLogOnce();
        List<String> audit = arbor.store.auditLogRows();

        Run run = arbor("replay", "audit");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Replaying audit from the first event", "Replay done: audit has caught up.");
        assertThat(arbor.store.auditLogRows()).isEqualTo(audit);
    }

    @Test
    void replaysTheReadModelFromTheFirstEventIntoTheSameRows() {
        commands.create("/api/v1/accounts", "{\"name\": \"Replayed by the CLI\", \"seats\": 1}");
        Processors.awaitCaughtUp(arbor.querySide, "accounts");
        List<String> live = arbor.store.readModelRows();
        arbor.database.sql("UPDATE read_model.account SET name = 'tampered'").update();

        Run run = arbor("replay", "accounts");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Replaying accounts from the first event",
                                       "Replay done: accounts has caught up.");
        assertThat(arbor.store.readModelRows()).isEqualTo(live);
    }

    /**
     * The audit log is written once per event and never updated, so what a replay from an instant restores is the
     * audit rows of events since then that are missing; a missing row of an earlier event stays missing.
     */
    @Test
    void replaysTheAuditLogFromAnInstantRestoringOnlyTheRowsOfLaterEvents() throws InterruptedException {
        String org = commands.create("/api/v1/accounts", "{\"name\": \"Audited again\", \"seats\": 3}");
        long beforeTheInstant = commands.lastPosition();
        Instant instant = Commands.pause();
        commands.create("/api/v1/accounts/" + org + "/children", "{\"name\": \"Later\", \"seats\": 1}");
        commands.send("POST", "/api/v1/accounts/" + org + "/suspend", null);
        arbor.store.awaitEveryEventInTheAuditLogOnce();
        List<String> audit = arbor.store.auditLogRows();
        String earlier = arbor.database.sql("SELECT to_jsonb(a)::text FROM read_model.audit_log a WHERE position = ?")
                                       .param(beforeTheInstant).query(String.class).single();
        arbor.database.sql("DELETE FROM read_model.audit_log WHERE position >= ?").param(beforeTheInstant).update();

        Run run = arbor("replay", "audit", "--from", instant.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Replaying audit from " + instant, "Replay done: audit has caught up.");
        assertThat(positions("SELECT position FROM read_model.audit_log WHERE position >= ? ORDER BY 1",
                             beforeTheInstant))
                .as("audited again: the events after the instant, not the one before it")
                .isEqualTo(positions("SELECT global_index FROM event_store.domain_event_entry WHERE global_index > ?"
                                     + " ORDER BY 1", beforeTheInstant))
                .hasSize(3);
        arbor.database.sql("INSERT INTO read_model.audit_log"
                           + " SELECT * FROM jsonb_populate_record(NULL::read_model.audit_log, CAST(? AS jsonb))")
                      .param(earlier).update();
        assertThat(arbor.store.auditLogRows()).as("all as before, none twice").isEqualTo(audit);
        arbor.store.awaitEveryEventInTheAuditLogOnce();
    }

    @Test
    void rebuildsTheReadModelAndReportsWhenItHasSwitchedOver() {
        poison.evictEveryLetter();

        Run run = arbor("rebuild");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("in shadow tables", "Rebuild done");
    }

    @Test
    void verifyExitsNonZeroOnAMismatchAndNamesTheRow() {
        String id = commands.create("/api/v1/accounts", "{\"name\": \"CLI\", \"seats\": 1}");
        assertThat(Http.getAfter(arbor.querySide, "/api/v1/accounts/" + id, commands.lastPosition(), 5_000).status())
                .isEqualTo(200);
        arbor.database.sql("UPDATE read_model.account SET name = 'tampered' WHERE id = ?::uuid").param(id).update();
        Run corrupted = arbor("verify");
        arbor.database.sql("UPDATE read_model.account SET name = 'CLI' WHERE id = ?::uuid").param(id).update();
        Run repaired = arbor("verify");

        assertThat(corrupted.exitCode()).isEqualTo(1);
        assertThat(corrupted.out()).contains("MISMATCH account " + id, "NOT consistent.");
        assertThat(repaired.out()).doesNotContain("MISMATCH");
        // events parked by other tests make verify report them, and fail, until they are fixed
        assertThat(repaired.exitCode()).isEqualTo(repaired.out().contains("UNPROJECTABLE") ? 1 : 0);
    }

    @Test
    void listsRetriesAndEvictsDeadLetters() {
        UUID organization = UUID.randomUUID();
        String eventId = poison.appendUnprojectableOrganization(organization);
        await().atMost(Duration.ofSeconds(15)).until(() -> poison.parkedCount(eventId) == 1);
        JsonNode parked = poison.parked(eventId);
        String letter = parked.get("id").asText();

        Run list = arbor("dead-letters", "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).startsWith(poison.lettersParked() + " dead letter(s)")
                              .contains("accounts  " + letter + "  AccountCreated  event " + eventId + " of "
                                        + organization + " #0, parked " + parked.get("enqueuedAt").asText()
                                        + "\n  " + parked.get("cause").asText() + "\n");
        assertThat(arbor("dead-letters").out()).as("list is the default").isEqualTo(list.out());

        long sequences = poison.sequencesParked();
        Run retry = arbor("dead-letters", "retry", "accounts");
        assertThat(retry.exitCode()).isZero();
        assertThat(retry.out().strip()).isEqualTo("Retried " + sequences + " sequence(s): 0 cleared, "
                                                          + poison.lettersParked() + " letter(s) still parked.");
        assertThat(poison.parkedCount(eventId)).isEqualTo(1);

        Run evict = arbor("dead-letters", "evict", "accounts", letter);
        assertThat(evict.exitCode()).isZero();
        assertThat(evict.out().strip()).isEqualTo("Evicted AccountCreated " + eventId + ".");
        assertThat(poison.parkedCount(eventId)).isZero();
        Run again = arbor("dead-letters", "evict", "accounts", letter);
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("404 NOT_FOUND");
    }

    @Test
    void aRetryOnceTheCauseIsGoneClearsTheLetterAndProjectsTheEvent() {
        String name = "Refused " + UUID.randomUUID();
        String org;
        String eventId;
        try (PoisonedEvents.Refusal refusal = poison.refuseAccountsNamed(name)) {
            org = commands.create("/api/v1/accounts", "{\"name\": \"" + name + "\", \"seats\": 0}");
            await().atMost(Duration.ofSeconds(15)).until(() -> !poison.parkedInTheSequenceOf(org).isEmpty());
            eventId = poison.parkedInTheSequenceOf(org).get(0);
        }
        assertThat(arbor("processors").out()).as("the processors' listing names the failure")
                .containsPattern("(?m)^  last error at \\S+: .*Handling event " + eventId + " failed");
        long sequences = poison.sequencesParked();

        Run retry = arbor("dead-letters", "retry", "accounts");

        assertThat(retry.exitCode()).isZero();
        assertThat(retry.out().strip()).isEqualTo("Retried " + sequences + " sequence(s): 1 cleared, "
                                                          + poison.lettersParked() + " letter(s) still parked.");
        assertThat(poison.parkedCount(eventId)).isZero();
        JsonNode projected = Http.get(arbor.querySide, "/api/v1/accounts/" + org).body();
        assertThat(projected.get("name").asText()).isEqualTo(name);
    }

    @Test
    void reportsTheServicesProblemOrThatItIsUnreachable() {
        Run unknown = arbor("replay", "nope");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("404 NOT_FOUND: No event processor named nope.");

        Run unreachable = run("--query-side", "http://localhost:1", "--token", "x", "processors");
        assertThat(unreachable.exitCode()).isEqualTo(2);
        assertThat(unreachable.err()).contains("cannot reach");
    }

    @Test
    void mintsTokensTheServiceAcceptsAndRefusesARequestWithout() {
        Run admin = arbor("token", "--admin");
        Run forged = run("--query-side", arbor.querySide.toString(), "--token", "not.a.token", "processors");

        assertThat(admin.exitCode()).isZero();
        assertThat(Http.get(arbor.querySide, "/api/v1/admin/processors", admin.out().strip()).status())
                .isEqualTo(200);
        assertThat(forged.exitCode()).isEqualTo(2);
        assertThat(forged.err()).contains("401 UNAUTHENTICATED");
        assertThat(run("--key-file", "/nonexistent/key.json", "token", "--admin").exitCode()).isEqualTo(3);
    }

    @Test
    void mintsAUserTokenThatReadsOnlyThatUsersSubtree() {
        String home = commands.create("/api/v1/accounts", "{\"name\": \"Token holder\", \"seats\": 1}");
        String user = commands.create("/api/v1/accounts/" + home + "/users",
                                      "{\"email\": \"" + UUID.randomUUID() + "@example.com\", \"name\": \"U\"}");
        String elsewhere = commands.create("/api/v1/accounts", "{\"name\": \"Elsewhere\", \"seats\": 1}");
        Http.getAfter(arbor.querySide, "/api/v1/users/" + user, commands.lastPosition(), 5_000);

        Run minted = arbor("token", "--user", user);

        assertThat(minted.exitCode()).as(minted.err()).isZero();
        String token = minted.out().strip();
        Http.Response own = Http.get(arbor.querySide, "/api/v1/accounts/" + home, token);
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.body().get("id").asText()).isEqualTo(home);
        assertThat(Http.get(arbor.querySide, "/api/v1/accounts/" + elsewhere + "/tree", token).status())
                .isEqualTo(404);
        assertThat(Http.get(arbor.querySide, "/api/v1/admin/processors", token).status()).isEqualTo(403);
    }

    private List<Long> positions(String query, long position) {
        return arbor.database.sql(query).param(position).query(Long.class).list();
    }

    /** The lines below {@code header}, indented, up to the next line that is not. */
    private static List<String> linesUnder(List<String> lines, String header) {
        assertThat(lines).contains(header);
        return lines.subList(lines.indexOf(header) + 1, lines.size()).stream()
                    .takeWhile(line -> line.startsWith("  ")).toList();
    }

    private Run arbor(String... args) {
        String[] withUrl = new String[args.length + 4];
        withUrl[0] = "--query-side";
        withUrl[1] = arbor.querySide.toString();
        withUrl[2] = "--key-file";
        withUrl[3] = TestTokens.keyFile().toString();
        System.arraycopy(args, 0, withUrl, 4, args.length);
        return run(withUrl);
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Arbor.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exitCode = cli.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }
}
