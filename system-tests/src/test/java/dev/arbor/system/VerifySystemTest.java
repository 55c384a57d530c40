package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.api.account.Seats;
import dev.arbor.query.processing.scratch.ScratchReadModel;
import dev.arbor.platform.eventstore.StoredEvents;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Verify rebuilds the read model from the events and finds every row that differs from the live one. */
class VerifySystemTest {

    private final RunningArbor arbor = RunningArbor.get();

    @Test
    void findsADeliberatelyCorruptedRowAndNothingElse() {
        Http.Response org = Http.post(arbor.commandSide, "/api/v1/accounts", "{\"name\": \"Verified\", \"seats\": 9}");
        String id = org.body().get("id").asText();
        Http.Response child = Http.post(arbor.commandSide, "/api/v1/accounts/" + id + "/children",
                                        "{\"name\": \"Child\", \"seats\": 4}");
        Http.getAfter(arbor.querySide, "/api/v1/accounts/" + id, child.body().get("position").asLong(), 5_000);

        JsonNode clean = verify();
        assertThat(clean.get("mismatches")).isEmpty();
        assertThat(clean.get("eventsFolded").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(clean.get("rowsChecked").get("account").asLong()).isGreaterThanOrEqualTo(2);

        arbor.database.sql("UPDATE read_model.account SET seats_total = seats_total + 1 WHERE id = ?::uuid")
                      .param(id).update();
        try {
            JsonNode corrupted = verify();
            assertThat(corrupted.get("consistent").asBoolean()).isFalse();
            assertThat(corrupted.get("mismatches")).singleElement().satisfies(mismatch -> {
                assertThat(mismatch.get("table").asText()).isEqualTo("account");
                assertThat(mismatch.get("id").asText()).isEqualTo(id);
                assertThat(mismatch.get("expected").asText()).contains(",5,");
                assertThat(mismatch.get("actual").asText()).contains(",6,");
            });
        } finally {
            arbor.database.sql("UPDATE read_model.account SET seats_total = seats_total - 1 WHERE id = ?::uuid")
                          .param(id).update();
        }
    }

    /**
     * An account's usage rolled up over its subtree is checked twice: against the fold of the events, and against the
     * sum of its subtree's own usage, which a mistake in the projection's own code, repeated by the fold, still fails.
     */
    @Test
    void checksTheRolledUpUsageAgainstTheSubtreesOwnUsage() {
        String org = Http.post(arbor.commandSide, "/api/v1/accounts", "{\"name\": \"Used\", \"seats\": 0}").body()
                         .get("id").asText();
        String child = Http.post(arbor.commandSide, "/api/v1/accounts/" + org + "/children",
                                 "{\"name\": \"Child\", \"seats\": 0}").body().get("id").asText();
        Http.Response reported = Http.send(arbor.commandSide, "PUT", "/api/v1/accounts/" + child + "/usage",
                                           "{\"connections\": 3}");
        Http.getAfter(arbor.querySide, "/api/v1/accounts/" + org, reported.body().get("position").asLong(), 5_000);
        assertThat(verify().get("mismatches")).isEmpty();

        String rolledUp = "UPDATE read_model.account SET subtree_usage = jsonb_set(subtree_usage, '{connections,sum}', "
                          + "to_jsonb(CAST(subtree_usage #>> '{connections,sum}' AS integer) %s 1)) WHERE id = ?::uuid";
        arbor.database.sql(rolledUp.formatted("+")).param(org).update();
        try {
            JsonNode corrupted = verify();
            assertThat(corrupted.get("consistent").asBoolean()).isFalse();
            assertThat(corrupted.get("mismatches")).extracting(mismatch -> mismatch.get("table").asText())
                                                   .containsExactlyInAnyOrder("account", "account.subtree_usage");
            assertThat(corrupted.get("mismatches")).allSatisfy(
                    mismatch -> assertThat(mismatch.get("id").asText()).isEqualTo(org));
            assertThat(corrupted.get("mismatches")).filteredOn(mismatch -> mismatch.get("table").asText()
                                                                                  .equals("account.subtree_usage"))
                    .singleElement().satisfies(mismatch -> {
                        assertThat(mismatch.get("expected").asText()).contains("\"sum\": 3");
                        assertThat(mismatch.get("actual").asText()).contains("\"sum\": 4");
                    });
        } finally {
            arbor.database.sql(rolledUp.formatted("-")).param(org).update();
        }
    }

    /** An event a processor's stream passed over shows as missing from the audit log, by its position. */
    @Test
    void namesTheEventsMissingFromTheAuditLog() {
        Http.Response org = Http.post(arbor.commandSide, "/api/v1/accounts", "{\"name\": \"Audited\", \"seats\": 3}");
        long position = org.body().get("position").asLong();
        // verify checks through the position every segment's stored token has passed; a segment with no event of
        // its own stores its token when it extends its claim, every few seconds
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                verify().get("auditLog").get("checkedThrough").asLong()).isGreaterThanOrEqualTo(position));
        assertThat(verify().get("auditLog").get("missing").asLong()).isZero();

        arbor.database.sql("""
                           CREATE TABLE public.verify_removed_audit AS
                           SELECT * FROM read_model.audit_log WHERE position = ?""").param(position).update();
        arbor.database.sql("DELETE FROM read_model.audit_log WHERE position = ?").param(position).update();
        try {
            JsonNode report = verify();
            assertThat(report.get("consistent").asBoolean()).isFalse();
            JsonNode audit = report.get("auditLog");
            assertThat(audit.get("missing").asLong()).isEqualTo(1);
            assertThat(audit.get("firstMissing")).singleElement().satisfies(
                    missing -> assertThat(missing.asLong()).isEqualTo(position));
            assertThat(audit.get("doubled")).isEmpty();
        } finally {
            arbor.database.sql("INSERT INTO read_model.audit_log SELECT * FROM public.verify_removed_audit").update();
            arbor.database.sql("DROP TABLE public.verify_removed_audit").update();
        }
        assertThat(verify().get("auditLog").get("missing").asLong()).isZero();
    }

    /**
     * The fold runs in batches after the snapshot that fixed which events to fold, and many transactions commit in
     * between: it must still compare like with like.
     */
    @Test
    void isExactWhileCommandsGoOnDuringTheFold() throws Exception {
        // the writers run as long as the verifications take, which depends on the store's size and the machine: the
        // organization holds as many seats as an account may, so that no rate of children ever runs out of them
        String org = Http.post(arbor.commandSide, "/api/v1/accounts",
                               "{\"name\": \"Busy\", \"seats\": " + Seats.MAX + "}")
                         .body().get("id").asText();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong accepted = new AtomicLong();
        ExecutorService writers = Executors.newFixedThreadPool(2);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            running.add(writers.submit(() -> {
                while (writing.get()) {
                    Http.Response child = Http.post(arbor.commandSide, "/api/v1/accounts/" + org + "/children",
                                                    "{\"name\": \"Under load\", \"seats\": 1}");
                    assertThat(child.status()).as("child %d: %s", accepted.get(), child.body()).isEqualTo(201);
                    accepted.incrementAndGet();
                }
            }));
        }
        try {
            for (int run = 0; run < 3; run++) {
                JsonNode report = verify();
                assertThat(report.get("mismatches")).as("run %d", run).isEmpty();
                assertThat(report.get("eventsFolded").asLong()).isPositive();
            }
        } finally {
            writing.set(false);
            writers.shutdown();
        }
        for (Future<?> writer : running) {
            writer.get();
        }
        assertThat(accepted.get()).as("children created while verifying").isGreaterThan(10);
    }

    @Test
    void oneVerificationRunsAtATime() throws Exception {
        try (Connection other = arbor.querySideBean(DataSource.class).getConnection()) {
            other.createStatement().execute("SELECT pg_advisory_lock(hashtext('read_model_verify'))");
            try {
                Http.Response refused = Http.post(arbor.querySide, "/api/v1/admin/verify", null);
                assertThat(refused.status()).isEqualTo(409);
                assertThat(refused.body().get("code").asText()).isEqualTo("PROCESSOR_BUSY");
            } finally {
                other.createStatement().execute("SELECT pg_advisory_unlock(hashtext('read_model_verify'))");
            }
        }
        assertThat(verify().get("mismatches")).isEmpty();
    }

    /**
     * The lock that keeps verifications one at a time holds no transaction open: an open transaction holds back the
     * xmin horizon of the whole database, so no row version that died while the verification ran could be pruned, and
     * the fold's many updates of an organization's row slowed down quadratically (a third of a 230,000-event store
     * in 11 minutes).
     */
    @Test
    void itsLockHoldsNoTransactionOpenWhileItFolds() throws Exception {
        ExecutorService verifier = Executors.newSingleThreadExecutor();
        try {
            Future<JsonNode> running = verifier.submit(this::verify);
            List<String> lockHolderStates = new ArrayList<>();
            while (!running.isDone()) {
                lockHolderStates.addAll(arbor.database.sql("""
                        SELECT a.state FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                         WHERE l.locktype = 'advisory' AND l.granted AND a.pid <> pg_backend_pid()""")
                                                      .query(String.class).list());
            }
            assertThat(running.get().get("mismatches")).isEmpty();
            assertThat(lockHolderStates).as("the lock holder's states while the verification ran").isNotEmpty()
                                        .doesNotContain("idle in transaction");
        } finally {
            verifier.shutdown();
        }
    }

    /**
     * Past 64 subtransactions in one transaction, PostgreSQL's subtransaction cache overflows and every session of the
     * database slows down while it lasts: a fold of the whole store must not take a savepoint per event.
     */
    @Test
    void foldingManyEventsTakesNoSavepointPerEvent() {
        for (int i = 0; i < 70; i++) {
            Http.post(arbor.commandSide, "/api/v1/accounts", "{\"name\": \"Folded\", \"seats\": 1}");
        }
        StoredEvents events = arbor.querySideBean(StoredEvents.class);
        AtomicLong folded = new AtomicLong();

        long before = nextTransactionId();

        // other test classes poison the shared store on purpose (PoisonedEvents): what this fold could not
        // project is theirs, and not what this test measures
        arbor.querySideBean(ScratchReadModel.class).fold(
                () -> events.upTo(events.head()).peek(event -> folded.incrementAndGet()), unprojectable -> null);

        assertThat(folded.get()).isGreaterThanOrEqualTo(70);
        // a savepoint that writes takes a transaction id of its own; the few others are the apps' background work
        assertThat(nextTransactionId() - before).isLessThan(20);
    }

    private long nextTransactionId() {
        return arbor.database.sql("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint")
                             .query(Long.class).single();
    }

    private JsonNode verify() {
        Http.Response report = Http.post(arbor.querySide, "/api/v1/admin/verify", null);
        assertThat(report.status()).isEqualTo(200);
        return report.body();
    }
}
