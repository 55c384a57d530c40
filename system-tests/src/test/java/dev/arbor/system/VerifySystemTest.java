package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.query.processing.ScratchReadModel;
import dev.arbor.query.processing.StoredEvents;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

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

        arbor.querySideBean(ScratchReadModel.class).fold(
                () -> events.upTo(events.head()).peek(event -> folded.incrementAndGet()), () -> null);

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
