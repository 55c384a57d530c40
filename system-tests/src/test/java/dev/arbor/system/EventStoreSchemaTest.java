package dev.arbor.system;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The live schema, as both apps' Flyway migrations leave it: checks for the known traps of Axon on PostgreSQL. */
class EventStoreSchemaTest {

    private static final List<String> ARBOR_SCHEMAS = List.of("event_store", "command_lookup", "read_model");

    private final RunningArbor arbor = RunningArbor.get();

    @Test
    void noColumnIsAnOidLargeObject() {
        List<String> oidColumns = arbor.database.sql("""
                        SELECT table_schema || '.' || table_name || '.' || column_name
                          FROM information_schema.columns
                         WHERE table_schema IN (:schemas) AND data_type = 'oid'""")
                .param("schemas", ARBOR_SCHEMAS).query(String.class).list();

        assertThat(oidColumns).isEmpty();
    }

    @Test
    void serializedMessagesAndTokensAreStoredAsBytea() {
        Map<String, String> types = columnTypes("payload", "meta_data", "token", "diagnostics");
        // the audit log's payload is not Axon's serialized form but the readable JSON the audit API answers
        assertThat(types.remove("read_model.audit_log.payload")).isEqualTo("jsonb");

        assertThat(types).containsOnlyKeys(
                "event_store.domain_event_entry.payload", "event_store.domain_event_entry.meta_data",
                "event_store.snapshot_event_entry.payload", "event_store.snapshot_event_entry.meta_data",
                "read_model.token_entry.token",
                "read_model.dead_letter_entry.payload", "read_model.dead_letter_entry.meta_data",
                "read_model.dead_letter_entry.token", "read_model.dead_letter_entry.diagnostics");
        assertThat(types.values()).containsOnly("bytea");
    }

    @Test
    void theGlobalIndexAdvancesByExactlyOne() {
        Map<String, Object> sequence = arbor.database.sql("""
                        SELECT increment_by, cache_size FROM pg_sequences
                         WHERE schemaname = 'event_store' AND sequencename LIKE 'domain_event_entry%'""")
                .query().singleRow();
        assertThat(sequence).containsEntry("increment_by", 1L).containsEntry("cache_size", 1L);

        long[] positions = LongStream.range(0, 5)
                .map(i -> Http.post(arbor.commandSide, "/api/v1/accounts", "{\"name\": \"Seq\", \"seats\": 0}")
                              .body().get("position").asLong())
                .toArray();
        assertThat(positions).containsExactly(LongStream.range(positions[0], positions[0] + 5).toArray());
    }

    private Map<String, String> columnTypes(String... columnNames) {
        return arbor.database.sql("""
                        SELECT table_schema || '.' || table_name || '.' || column_name AS name, data_type
                          FROM information_schema.columns
                         WHERE table_schema IN (:schemas) AND column_name IN (:columns)""")
                .param("schemas", ARBOR_SCHEMAS)
                .param("columns", List.of(columnNames))
                .query((rs, row) -> Map.entry(rs.getString("name"), rs.getString("data_type")))
                .list().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
