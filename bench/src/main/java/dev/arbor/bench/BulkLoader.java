package dev.arbor.bench;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Writes a {@link Forest} straight into the event store, as the command side would have appended it one
 * CreateRootAccount and CreateChildAccount at a time (a child's {@code ChildAccountAdded} on its parent, then its
 * own {@code AccountCreated}), together with the command side's account directory, so commands work on these
 * accounts too. Creating a million accounts through the API would take hours; COPY takes a minute. The read model
 * is then built by the query side from these events, as from any others.
 */
final class BulkLoader {

    private static final int ROWS_PER_COPY = 20_000;
    private static final String EVENTS = "COPY event_store.domain_event_entry (aggregate_identifier, sequence_number, "
            + "type, event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp) "
            + "FROM STDIN (FORMAT csv)";
    private static final String DIRECTORY = "COPY command_lookup.account_node (id, root_id, parent_id, path, depth) "
            + "FROM STDIN (FORMAT csv)";
    private static final HexFormat HEX = HexFormat.of();

    private final Forest forest;
    private final int[] nextSequence;
    private final Instant start = Instant.now().minusSeconds(86_400);
    private long events;

    BulkLoader(Forest forest) {
        this.forest = forest;
        this.nextSequence = new int[forest.size];
    }

    /**
     * {@code java -cp bench/target/arbor-bench.jar dev.arbor.bench.BulkLoader <jdbc-url> <accounts>}, with the login
     * in {@code SPRING_DATASOURCE_USERNAME} and {@code SPRING_DATASOURCE_PASSWORD}: loads a forest
     * into a database the command side has set up, to try Arbor at scale. The query side then projects it.
     */
    public static void main(String[] args) throws Exception {
        Forest forest = new Forest(Integer.parseInt(args[1]));
        try (Connection connection = Datasource.at(args[0]).connect()) {
            long started = System.nanoTime();
            long events = new BulkLoader(forest).load(connection);
            System.out.printf("%,d accounts, %,d events in %.1f s%n", forest.size, events,
                              (System.nanoTime() - started) / 1e9);
        }
    }

    /** Loads the forest in one transaction; answers the number of events written. */
    long load(Connection connection) throws SQLException, IOException {
        connection.setAutoCommit(false);
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        StringBuilder eventRows = new StringBuilder();
        StringBuilder directoryRows = new StringBuilder();
        for (int account = 0; account < forest.size; account++) {
            if (!forest.isRoot(account)) {
                int parent = forest.parent[account];
                event(eventRows, parent, "ChildAccountAdded", "1", """
                        {"accountId":"%s","rootId":"%s","childId":"%s","seats":%d}""".formatted(
                        forest.ids[parent], rootOf(account), forest.ids[account], forest.subtreeSize[account]));
            }
            event(eventRows, account, "AccountCreated", "2", """
                    {"accountId":"%s","rootId":"%s","parentId":%s,"name":"bulk-%d","description":null,\
                    "externalId":null,"initialSeats":%d,"limits":{}}""".formatted(
                    forest.ids[account], rootOf(account),
                    forest.isRoot(account) ? "null" : "\"" + forest.ids[forest.parent[account]] + "\"", account,
                    forest.subtreeSize[account]));
            directoryRows.append(forest.ids[account]).append(',').append(rootOf(account)).append(',')
                         .append(forest.isRoot(account) ? "" : forest.ids[forest.parent[account]]).append(",\"")
                         .append(path(account)).append("\",").append(forest.depth[account]).append('\n');
            if ((account + 1) % ROWS_PER_COPY == 0) {
                flush(copy, eventRows, directoryRows);
            }
        }
        flush(copy, eventRows, directoryRows);
        connection.commit();
        connection.setAutoCommit(true);
        connection.createStatement().execute("ANALYZE event_store.domain_event_entry; ANALYZE command_lookup.account_node");
        return events;
    }

    private void event(StringBuilder rows, int aggregate, String type, String revision, String payload) {
        String eventId = UUID.randomUUID().toString();
        String metaData = "{\"actor\":\"bulk-loader\",\"correlationId\":\"" + eventId + "\"}";
        rows.append(forest.ids[aggregate]).append(',').append(nextSequence[aggregate]++).append(",Account,")
            .append(eventId).append(',').append(bytea(metaData)).append(',').append(bytea(payload)).append(',')
            .append(revision).append(",dev.arbor.api.account.").append(type).append(',')
            .append(start.plusMillis(events++)).append('\n');
    }

    private UUID rootOf(int account) {
        return forest.ids[forest.root[account]];
    }

    /** The account's path in PostgreSQL's array syntax, root first. */
    private String path(int account) {
        StringBuilder path = new StringBuilder(forest.ids[account].toString());
        for (int above = forest.parent[account]; above >= 0; above = forest.parent[above]) {
            path.insert(0, forest.ids[above] + ",");
        }
        return "{" + path + "}";
    }

    private static String bytea(String text) {
        return "\\x" + HEX.formatHex(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void flush(CopyManager copy, StringBuilder eventRows, StringBuilder directoryRows)
            throws SQLException, IOException {
        copy.copyIn(EVENTS, new StringReader(eventRows.toString()));
        copy.copyIn(DIRECTORY, new StringReader(directoryRows.toString()));
        eventRows.setLength(0);
        directoryRows.setLength(0);
    }
}
