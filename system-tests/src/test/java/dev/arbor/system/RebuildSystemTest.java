package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rebuild into shadow tables replaces the read model with one built from the events, while queries keep being
 * answered, and leaves the tables as the migrations made them.
 */
class RebuildSystemTest {

    private static final List<String> TABLES = List.of("account", "app_user", "device");

    private final RunningArbor arbor = RunningArbor.get();
    private final PoisonedEvents poison = new PoisonedEvents(arbor);

    /** Given no parked event: one that cannot be folded keeps a rebuild from switching (the last test). */
    @BeforeEach
    void evictWhatOtherTestsParked() {
        poison.evictEveryLetter();
    }

    @Test
    void rebuildsTheReadModelBesideTheLiveOneAndSwitchesOver() {
        Http.Response org = Http.post(arbor.commandSide, "/api/v1/accounts", "{\"name\": \"Rebuilt\", \"seats\": 9}");
        String id = org.body().get("id").asText();
        Http.Response child = Http.post(arbor.commandSide, "/api/v1/accounts/" + id + "/children",
                                        "{\"name\": \"Child\", \"seats\": 2}");
        assertThat(Http.getAfter(arbor.querySide, "/api/v1/accounts/" + id, child.body().get("position").asLong(),
                                 5_000).stale()).isFalse();
        List<String> live = rows();
        List<String> indexes = indexes();
        arbor.database.sql("UPDATE read_model.account SET name = 'tampered' WHERE id = ?::uuid").param(id).update();

        Http.Response started = Http.post(arbor.querySide, "/api/v1/admin/rebuild", null);
        assertThat(started.status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            assertThat(Http.get(arbor.querySide, "/api/v1/accounts/" + id).status()).isEqualTo(200);
            String state = Http.get(arbor.querySide, "/api/v1/admin/rebuild").body().get("state").asText();
            assertThat(state).isNotEqualTo("FAILED");
            return state.equals("DONE");
        });

        assertThat(rows()).isEqualTo(live);
        assertThat(indexes()).isEqualTo(indexes);
        assertThat(arbor.database.sql("SELECT count(*) FROM pg_namespace WHERE nspname = 'read_model_shadow'")
                                 .query(Long.class).single()).isZero();
        Http.Response after = Http.post(arbor.commandSide, "/api/v1/accounts/" + id + "/children",
                                        "{\"name\": \"After\", \"seats\": 1}");
        JsonNode updated = Http.getAfter(arbor.querySide, "/api/v1/accounts/" + id,
                                         after.body().get("position").asLong(), 5_000).body();
        assertThat(updated.get("childCount").asInt()).as("the live processor goes on in the new tables").isEqualTo(2);
    }

    /** Every node would build into the same shadow tables: while one rebuilds, another node's start is refused. */
    @Test
    void aRebuildIsRefusedWhileAnotherNodeRebuilds() throws SQLException {
        try (Connection otherNode = arbor.commandSideBean(DataSource.class).getConnection();
             Statement sql = otherNode.createStatement()) {
            sql.execute("SELECT pg_advisory_lock(hashtext('read_model_shadow'))");

            Http.Response refused = Http.post(arbor.querySide, "/api/v1/admin/rebuild", null);

            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.body().get("code").asText()).isEqualTo("PROCESSOR_BUSY");
            assertThat(Http.get(arbor.querySide, "/api/v1/admin/rebuild").body().get("state").asText())
                    .isNotIn("BUILDING", "SWITCHING");
        }
    }

    /**
     * An event parked in the dead letters that the shadow cannot fold either keeps the live tables: switched in, the
     * shadow would hold its organization's later events without it, and a retry would then change nothing. Once its
     * letter is evicted (given up), the rebuild goes through.
     */
    @Test
    void aRebuildThatCannotFoldAParkedEventFailsAndLeavesTheLiveTables() {
        String eventId = poison.appendUnprojectableOrganization(UUID.randomUUID());
        await().atMost(Duration.ofSeconds(15)).until(() -> poison.parkedCount(eventId) == 1);
        List<String> live = rows();

        assertThat(Http.post(arbor.querySide, "/api/v1/admin/rebuild", null).status()).isEqualTo(202);
        JsonNode failed = awaitRebuilt();

        assertThat(failed.get("state").asText()).isEqualTo("FAILED");
        assertThat(failed.get("error").asText()).contains(eventId);
        assertThat(rows()).isEqualTo(live);

        String letter = poison.parked(eventId).get("id").asText();
        assertThat(Http.send(arbor.querySide, "DELETE", "/api/v1/admin/dead-letters/accounts/" + letter, null)
                       .status()).isEqualTo(200);
        assertThat(Http.post(arbor.querySide, "/api/v1/admin/rebuild", null).status()).isEqualTo(202);
        JsonNode done = awaitRebuilt();
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("DONE");
    }

    private JsonNode awaitRebuilt() {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                      .until(() -> Http.get(arbor.querySide, "/api/v1/admin/rebuild").body(),
                             status -> List.of("DONE", "FAILED").contains(status.get("state").asText()));
    }

    private List<String> rows() {
        return TABLES.stream()
                     .flatMap(table -> arbor.database.sql("SELECT t::text FROM read_model." + table + " t ORDER BY id")
                                                     .query(String.class).list().stream())
                     .toList();
    }

    private List<String> indexes() {
        return arbor.database.sql("""
                        SELECT indexdef FROM pg_indexes WHERE schemaname = 'read_model' AND tablename = ANY (?)
                         ORDER BY indexname""")
                             .param(TABLES.toArray(String[]::new)).query(String.class).list();
    }
}
