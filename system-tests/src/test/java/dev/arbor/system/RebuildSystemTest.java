package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rebuild into shadow tables replaces the read model with one built from the events, while queries keep being
 * answered, and leaves the tables as the migrations made them.
 */
class RebuildSystemTest {

    private static final List<String> TABLES = List.of("account", "app_user", "device");

    private final RunningArbor arbor = RunningArbor.get();

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
