package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.local.EmbeddedDatabase;
import dev.arbor.query.processing.scratch.ReadModelProjections;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the system tests of real processes check in the database itself: accepted commands' events are stored, the
 * read model shows them once, and the query side's own verification agrees with a fold of the events.
 */
final class StoreChecks {

    private static final Duration PROJECTION_TIMEOUT = Duration.ofSeconds(30);

    final JdbcClient sql;

    StoreChecks(EmbeddedDatabase database) {
        this(JdbcClient.create(new DriverManagerDataSource(database.jdbcUrl(), database.user(),
                                                           database.password())));
    }

    StoreChecks(JdbcClient sql) {
        this.sql = sql;
    }

    long count(String table) {
        return sql.sql("SELECT count(*) FROM " + table).query(Long.class).single();
    }

    /** The global index of the last event in the store, -1 while it has none (a first test class wrote none). */
    long head() {
        return sql.sql("SELECT coalesce(max(global_index), -1) FROM event_store.domain_event_entry").query(Long.class)
                  .single();
    }

    /** Every row of the read model's tables, as PostgreSQL prints it, in a stable order. */
    List<String> readModelRows() {
        return ReadModelProjections.TABLES.stream()
                                          .flatMap(table -> rows("SELECT t::text FROM read_model." + table
                                                                 + " t ORDER BY id"))
                                          .toList();
    }

    /** Every row of the audit log, as PostgreSQL prints it, by position. */
    List<String> auditLogRows() {
        return rows("SELECT a::text FROM read_model.audit_log a ORDER BY position").toList();
    }

    private Stream<String> rows(String query) {
        return sql.sql(query).query(String.class).list().stream();
    }

    /** Who holds how many segments of the processor ("(free)" for none): owner to count. */
    Map<String, Integer> segmentsByOwner(String processor) {
        return sql.sql("""
                       SELECT coalesce(owner, '(free)') AS owner, count(*) AS segments FROM read_model.token_entry
                        WHERE processor_name = ? GROUP BY owner""")
                  .param(processor)
                  .query((rs, row) -> Map.entry(rs.getString("owner"), rs.getInt("segments"))).list().stream()
                  .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** Every segment's stored token: processor, segment, owner, when last stored, the token. */
    List<String> tokens() {
        return sql.sql("""
                       SELECT processor_name || ' ' || segment || ' ' || coalesce(owner, '(free)') || ' ' || timestamp
                              || ' ' || coalesce(convert_from(token, 'UTF8'), '(none)')
                         FROM read_model.token_entry ORDER BY processor_name, segment""").query(String.class).list();
    }

    /** Each segment of the processor and the node that holds it (null for none), by segment. */
    Map<Integer, String> ownersBySegment(String processor) {
        Map<Integer, String> owners = new TreeMap<>();
        sql.sql("SELECT segment, owner FROM read_model.token_entry WHERE processor_name = ?").param(processor)
           .query(rs -> {
               owners.put(rs.getInt("segment"), rs.getString("owner"));
           });
        return owners;
    }

    void assertEveryAcceptedCommandsEventIsStored(List<ConcurrentCommands.Outcome> outcomes) {
        List<Long> positions = outcomes.stream().filter(ConcurrentCommands.Outcome::succeeded)
                                       .map(ConcurrentCommands.Outcome::position).toList();
        List<Long> stored = sql.sql("SELECT global_index FROM event_store.domain_event_entry"
                                    + " WHERE global_index = ANY(?)")
                               .param(positions.toArray(Long[]::new)).query(Long.class).list();
        assertThat(stored).as("events of accepted commands").containsExactlyInAnyOrderElementsOf(positions);
    }

    /** Waits until the read model's seats of the organization's accounts are those the accepted commands imply. */
    Map<String, ConcurrentCommands.Seats> awaitReadModelSeats(String organization,
                                                              Map<String, ConcurrentCommands.Seats> expected) {
        await().atMost(PROJECTION_TIMEOUT)
               .untilAsserted(() -> assertThat(differences(expected, readModelSeats(organization)))
                       .as("accounts whose seats in the read model are not what the accepted commands imply")
                       .isEmpty());
        return readModelSeats(organization);
    }

    /** Each account whose seats differ between the two, with both (null where an account is missing). */
    private static Map<String, String> differences(Map<String, ConcurrentCommands.Seats> expected,
                                                   Map<String, ConcurrentCommands.Seats> actual) {
        Map<String, String> differences = new TreeMap<>();
        Stream.concat(expected.keySet().stream(), actual.keySet().stream())
              .filter(account -> !Objects.equals(expected.get(account), actual.get(account)))
              .forEach(account -> differences.put(account, "expected " + expected.get(account) + ", read model "
                                                           + actual.get(account)));
        return differences;
    }

    /**
     * Waits, at most {@code timeout}, until both processors of the query side have reached the head of the store, and
     * answers how long that took. The query side waits at most 30 s a request, so this asks again until then.
     */
    Duration awaitProjectionsAtHead(URI querySide, Duration timeout) {
        long head = head();
        Instant start = Instant.now();
        // the audit log's reads wait for both the audit processor and the read model's
        while (Http.getAfter(querySide, "/api/v1/audit?limit=1", head, PROJECTION_TIMEOUT.toMillis()).stale()) {
            assertThat(Duration.between(start, Instant.now())).as("the query side is still behind position " + head)
                                                              .isLessThan(timeout);
        }
        return Duration.between(start, Instant.now());
    }

    Map<String, ConcurrentCommands.Seats> readModelSeats(String organization) {
        return sql.sql("SELECT id, seats_total, seats_used FROM read_model.account WHERE root_id = ?::uuid")
                  .param(organization)
                  .query((rs, row) -> Map.entry(rs.getString("id"), new ConcurrentCommands.Seats(
                          rs.getLong("seats_total"), rs.getLong("seats_used")))).list().stream()
                  .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /**
     * No seat was made or lost: the organization's accounts hold exactly the seats it was granted, and none has
     * handed out more than it held. A command applied to one account of a seat move but not the other breaks it.
     * Waits for the projection to get there.
     */
    void awaitSeatsConserved(String organization, long grantedSeats) {
        await().atMost(PROJECTION_TIMEOUT).untilAsserted(() -> {
            Map<String, ConcurrentCommands.Seats> seats = readModelSeats(organization);
            assertThat(seats.values().stream().mapToLong(ConcurrentCommands.Seats::total).sum())
                    .as("seats in the organization").isEqualTo(grantedSeats);
            assertThat(seats).allSatisfy((account, held) -> assertThat(held.total() - held.used())
                    .as("free seats of " + account).isNotNegative());
        });
    }

    /** One audit row per stored event: none missing (a positions' diff), none extra (equal counts). */
    void awaitEveryEventInTheAuditLogOnce() {
        await().atMost(PROJECTION_TIMEOUT).untilAsserted(() -> {
            assertThat(sql.sql("""
                               SELECT e.global_index FROM event_store.domain_event_entry e
                                 LEFT JOIN read_model.audit_log a ON a.position = e.global_index
                                WHERE a.position IS NULL""").query(Long.class).list())
                    .as("events missing from the audit log").isEmpty();
            assertThat(count("read_model.audit_log")).isEqualTo(count("event_store.domain_event_entry"));
        });
    }

    /**
     * The query side's verification once its audit check covers every stored event: verify checks the audit log
     * through the position every segment's stored token has passed, and an idle segment stores its token when it
     * extends its claim, every few seconds.
     */
    JsonNode verifyThroughHead(URI querySide) {
        long head = head();
        JsonNode[] report = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Http.Response verification = Http.post(querySide, "/api/v1/admin/verify", null);
            assertThat(verification.status()).as(verification.toString()).isEqualTo(200);
            report[0] = verification.body();
            assertThat(report[0].get("auditLog").get("checkedThrough").asLong())
                    .as(() -> "the audit log checked through, with the segments' stored tokens " + tokens())
                    .isGreaterThanOrEqualTo(head);
        });
        return report[0];
    }

    /** The seats each organization's accounts hold in the read model, by organization. */
    Map<String, Long> seatsByOrganization(Collection<String> organizations) {
        Map<String, Long> seats = new TreeMap<>();
        organizations.forEach(organization -> seats.put(organization, sql.sql(
                "SELECT sum(seats_total) FROM read_model.account WHERE root_id = ?::uuid").param(organization)
                .query(Long.class).single()));
        return seats;
    }

    /** Accounts of the read model with more seats used than held, each as "id: total held, used used". */
    List<String> accountsWithNegativeFreeSeats() {
        return sql.sql("SELECT id || ': ' || seats_total || ' held, ' || seats_used || ' used' FROM read_model.account"
                       + " WHERE seats_total < seats_used ORDER BY 1").query(String.class).list();
    }

    /** Whether the store holds an event of the request with this {@code X-Request-Id} (its correlation id). */
    boolean holdsEventsOfRequest(String requestId) {
        return sql.sql("""
                       SELECT EXISTS (SELECT 1 FROM event_store.domain_event_entry
                                       WHERE convert_from(meta_data, 'UTF8')::jsonb ->> 'correlationId' = ?)""")
                  .param(requestId).query(Boolean.class).single();
    }

    /** The payload of the event at {@code position}, as its JSON text. */
    String payloadAt(long position) {
        return sql.sql("SELECT convert_from(payload, 'UTF8') FROM event_store.domain_event_entry WHERE global_index = ?")
                  .param(position).query(String.class).single();
    }

    /**
     * The query side's own check: the read model equals a fold of every stored event. Verify folds what the
     * projection's tokens say it processed, so it first waits for the projection to reach the head of the store.
     */
    void assertReadModelMatchesTheEvents(URI querySide) {
        awaitProjectionsAtHead(querySide, PROJECTION_TIMEOUT);
        Http.Response verification = Http.post(querySide, "/api/v1/admin/verify", null);
        assertThat(verification.status()).isEqualTo(200);
        JsonNode report = verification.body();
        assertThat(report.get("consistent").asBoolean()).as(report.toString()).isTrue();
        assertThat(report.get("eventsFolded").asLong()).isEqualTo(count("event_store.domain_event_entry"));
    }
}
