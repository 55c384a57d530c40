package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An account's history from the event store, the audit log across accounts, and accounts as they were. */
class AuditTrailTest {

    private final RunningArbor arbor = RunningArbor.get();
    private final Commands commands = new Commands(arbor.commandSide);

    @Test
    void anAccountsHistoryListsItsEventsInOrderWithWhoAndWhy() {
        Instant started = Instant.now();
        String org = commands.create("/api/v1/accounts", "{\"name\": \"Audited\", \"seats\": 10}");
        String child = commands.create("/api/v1/accounts/" + org + "/children", "{\"name\": \"Kid\", \"seats\": 4}");
        commands.send("POST", "/api/v1/accounts/" + child + "/suspend", "{\"reason\": \"unpaid\"}",
                      "X-Reason", "ticket 42");
        commands.send("DELETE", "/api/v1/accounts/" + child, null);

        List<JsonNode> history = allPages("/api/v1/accounts/" + child + "/history?limit=2");

        assertThat(history).extracting(entry -> entry.get("type").asText())
                           .containsExactly("AccountCreated", "AccountSuspended", "AccountDeleted");
        assertThat(history).extracting(entry -> entry.get("sequence").asLong()).containsExactly(0L, 1L, 2L);
        assertThat(history).extracting(entry -> entry.get("position").asLong()).isSorted().doesNotHaveDuplicates();
        List<Instant> timestamps = history.stream().map(entry -> Instant.parse(entry.get("timestamp").asText()))
                                          .toList();
        assertThat(timestamps).as("when each event was appended").isEqualTo(appendedAt(child)).isSorted()
                              .allSatisfy(at -> assertThat(at).isBetween(started, Instant.now()));
        JsonNode suspension = history.get(1);
        assertThat(suspension.get("payload").get("reason").asText()).isEqualTo("unpaid");
        assertThat(suspension.get("reason").asText()).isEqualTo("ticket 42");
        assertThat(suspension.get("actor").asText()).isEqualTo("admin");
        assertThat(suspension.get("correlationId").asText()).isNotBlank();
        // the delete's last event is the parent's (its seats come back), the child's own is just before it
        assertThat(history.get(2).get("position").asLong()).isEqualTo(commands.lastPosition() - 1);
        assertThat(Http.get(arbor.querySide, "/api/v1/accounts/" + UUID.randomUUID() + "/history")
                       .status()).isEqualTo(404);
    }

    @Test
    void theAuditLogAnswersWhoDidWhatAcrossAccountsNewestFirst() {
        String org = commands.create("/api/v1/accounts", "{\"name\": \"Audit log\", \"seats\": 10}");
        String child = commands.create("/api/v1/accounts/" + org + "/children", "{\"name\": \"Kid\", \"seats\": 4}");
        String grandchild = commands.create("/api/v1/accounts/" + child + "/children",
                                            "{\"name\": \"Grandkid\", \"seats\": 1}");
        commands.send("POST", "/api/v1/accounts/" + grandchild + "/suspend", null, "X-Reason", "audit test");

        List<JsonNode> ofChild = allPages("/api/v1/audit?limit=1&accountId=" + child);
        assertThat(ofChild).extracting(entry -> entry.get("type").asText())
                           .containsExactly("ChildAccountAdded", "AccountCreated");
        assertThat(ofChild.get(0).get("position").asLong()).isGreaterThan(ofChild.get(1).get("position").asLong());

        List<JsonNode> subtree = allPages("/api/v1/audit?subtreeOf=" + child);
        assertThat(subtree).extracting(entry -> entry.get("accountId").asText()).containsOnly(child, grandchild);
        assertThat(subtree).hasSize(4);
        assertThat(allPages("/api/v1/audit?type=AccountSuspended&subtreeOf=" + org))
                .singleElement().satisfies(entry -> assertThat(entry.get("reason").asText()).isEqualTo("audit test"));
        assertThat(allPages("/api/v1/audit?actor=nobody-at-all")).isEmpty();
        assertThat(allPages("/api/v1/audit?actor=admin&subtreeOf=" + org)).hasSize(6);
        Instant future = Instant.now().plusSeconds(3600);
        assertThat(allPages("/api/v1/audit?subtreeOf=" + org + "&from=" + future)).isEmpty();
        assertThat(allPages("/api/v1/audit?subtreeOf=" + org + "&to=" + future)).hasSize(6);
    }

    @Test
    void anAccountAndItsTreeCanBeReadAsTheyWereAtAnInstant() throws InterruptedException {
        String org = commands.create("/api/v1/accounts", "{\"name\": \"Then\", \"seats\": 10}");
        String child = commands.create("/api/v1/accounts/" + org + "/children", "{\"name\": \"Kid\", \"seats\": 4}");
        Instant created = Commands.pause();
        commands.send("POST", "/api/v1/accounts/" + org + "/suspend", null);
        commands.send("PATCH", "/api/v1/accounts/" + child, "{\"name\": \"Renamed\"}");
        Instant suspended = Commands.pause();
        commands.send("DELETE", "/api/v1/accounts/" + child, null);

        JsonNode then = read("/api/v1/accounts/" + child + "?asOf=" + created);
        assertThat(then.get("name").asText()).isEqualTo("Kid");
        assertThat(then.get("effectiveStatus").asText()).isEqualTo("ACTIVE");
        assertThat(then.get("seats").get("total").asLong()).isEqualTo(4);
        JsonNode later = read("/api/v1/accounts/" + child + "?asOf=" + suspended);
        assertThat(later.get("name").asText()).isEqualTo("Renamed");
        assertThat(later.get("effectiveStatus").asText()).isEqualTo("SUSPENDED");
        assertThat(read("/api/v1/accounts/" + child).get("status").asText()).isEqualTo("DELETED");

        assertThat(read("/api/v1/accounts/" + org + "/tree?asOf=" + created).get("children")).hasSize(1);
        assertThat(read("/api/v1/accounts/" + org + "/tree").get("children")).isEmpty();
        assertThat(read("/api/v1/accounts/" + org + "?asOf=" + created).get("childCount").asInt()).isEqualTo(1);
        assertThat(Http.get(arbor.querySide, "/api/v1/accounts/" + child + "?asOf=2000-01-01T00:00:00Z").status())
                .isEqualTo(404);
        assertThat(Http.get(arbor.querySide, "/api/v1/accounts/" + child + "?asOf=yesterday").status())
                .isEqualTo(400);
    }

    /**
     * The past of an account is rebuilt from its whole organization as it is now (every account of it that exists
     * today), so an organization above {@code arbor.tree-max-nodes} (20 in these tests) is refused as of any instant,
     * even for a small subtree of it and an instant when it was smaller, while its live tree still answers.
     */
    @Test
    void anOrganizationAboveTheNodeLimitIsNotRebuiltAsOfAnInstant() throws InterruptedException {
        String root = commands.create("/api/v1/accounts", "{\"name\": \"Large\", \"seats\": 0}");
        for (int i = 0; i < 19; i++) {
            commands.create("/api/v1/accounts/" + root + "/children", "{\"name\": \"Node\", \"seats\": 0}");
        }
        Instant atTheLimit = Commands.pause();
        assertThat(read("/api/v1/accounts/" + root + "/tree?asOf=" + atTheLimit).get("children")).hasSize(19);
        String leaf = commands.create("/api/v1/accounts/" + root + "/children", "{\"name\": \"Node\", \"seats\": 0}");

        for (String path : List.of("/api/v1/accounts/" + root + "/tree?asOf=" + atTheLimit,
                                   "/api/v1/accounts/" + leaf + "/tree?asOf=" + Instant.now())) {
            Http.Response refused = Http.getAfter(arbor.querySide, path, commands.lastPosition(), 5_000);
            assertThat(refused.status()).as(path).isEqualTo(422);
            assertThat(refused.body().get("code").asText()).isEqualTo("TREE_TOO_LARGE");
            assertThat(refused.body().get("detail").asText()).contains("/history");
        }
        assertThat(read("/api/v1/accounts/" + root + "/tree").get("children")).hasSize(20);
    }

    /**
     * Concurrent appends commit out of order: the processor sees a later event first and the earlier one as a gap
     * filled afterwards, with a tracking token whose position is the later one's. Its audit row must still carry its
     * own position (and not be dropped as a duplicate of the later one's).
     */
    @Test
    void anEventCommittedAfterALaterOneIsAuditedAtItsOwnPosition() throws SQLException {
        long template = issueSeatToken();
        String lateAggregate = UUID.randomUUID().toString();
        try (Connection late = arbor.commandSideBean(DataSource.class).getConnection()) {
            late.setAutoCommit(false);
            long latePosition = appendCopy(late, template, lateAggregate);
            long laterPosition = issueSeatToken();
            assertThat(laterPosition).isGreaterThan(latePosition);
            await().atMost(Duration.ofSeconds(10)).until(() -> auditedAggregateAt(laterPosition).isPresent());

            late.commit();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(
                    () -> assertThat(auditedAggregateAt(latePosition)).contains(lateAggregate));
        }
    }

    /** Issues a seat token (an event no projection but the audit reads) and answers its event's position. */
    private long issueSeatToken() {
        assertThat(Http.post(arbor.commandSide, "/api/v1/seat-tokens", "{\"seats\": 1}").status()).isEqualTo(201);
        return arbor.database.sql("""
                                  SELECT max(global_index) FROM event_store.domain_event_entry
                                   WHERE payload_type LIKE '%SeatTokenIssued'""").query(Long.class).single();
    }

    /** Appends, uncommitted on {@code connection}, a copy of the event at {@code template} for another aggregate. */
    private static long appendCopy(Connection connection, long template, String aggregate) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO event_store.domain_event_entry (aggregate_identifier, sequence_number, type, event_identifier,
                                                            meta_data, payload, payload_revision, payload_type, time_stamp)
                SELECT ?, 0, type, ?, meta_data, payload, payload_revision, payload_type, time_stamp
                  FROM event_store.domain_event_entry WHERE global_index = ?
                RETURNING global_index""")) {
            insert.setString(1, aggregate);
            insert.setString(2, UUID.randomUUID().toString());
            insert.setLong(3, template);
            try (ResultSet appended = insert.executeQuery()) {
                appended.next();
                return appended.getLong(1);
            }
        }
    }

    /** When each of the aggregate's events was appended, as the event store holds it, in order. */
    private List<Instant> appendedAt(String aggregate) {
        return arbor.database.sql("""
                                  SELECT time_stamp FROM event_store.domain_event_entry
                                   WHERE aggregate_identifier = ? ORDER BY sequence_number""")
                             .param(aggregate).query(String.class).list().stream().map(Instant::parse).toList();
    }

    private Optional<String> auditedAggregateAt(long position) {
        return arbor.database.sql("SELECT aggregate_id FROM read_model.audit_log WHERE position = ?")
                             .param(position).query(String.class).optional();
    }

    private List<JsonNode> allPages(String path) {
        return Pages.all(path, this::read);
    }

    private JsonNode read(String path) {
        Http.Response response = Http.getAfter(arbor.querySide, path, commands.lastPosition(), 5_000);
        assertThat(response.status()).as(path).isEqualTo(200);
        assertThat(response.stale()).isFalse();
        return response.body();
    }
}
