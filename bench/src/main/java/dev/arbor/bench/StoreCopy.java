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
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Events and the command side's lookup rows for accounts made in bulk, as the command side would have appended and
 * recorded them one command at a time, written with COPY in one transaction ({@link #commit}). Each event's
 * sequence number in its aggregate's stream is the caller's to count. Used by {@link BulkLoader} (the forest) and
 * {@link AggregateSizes} (one account with many devices, one parent with many children).
 */
final class StoreCopy {

    private static final int ROWS_PER_COPY = 20_000;
    private static final String EVENTS = "COPY event_store.domain_event_entry (aggregate_identifier, sequence_number, "
            + "type, event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp) "
            + "FROM STDIN (FORMAT csv)";
    private static final String ACCOUNT_DIRECTORY = "COPY command_lookup.account_node (id, root_id, parent_id, path, "
            + "depth) FROM STDIN (FORMAT csv)";
    private static final String DEVICE_DIRECTORY = "COPY command_lookup.device (id, serial, account_id) "
            + "FROM STDIN (FORMAT csv)";
    private static final HexFormat HEX = HexFormat.of();

    private final Connection connection;
    private final CopyManager copy;
    private final StringBuilder eventRows = new StringBuilder();
    private final StringBuilder accountRows = new StringBuilder();
    private final StringBuilder deviceRows = new StringBuilder();
    private final Instant start = Instant.now().minusSeconds(86_400);
    private int pendingRows;
    private long events;

    StoreCopy(Connection connection) throws SQLException {
        this.connection = connection;
        connection.setAutoCommit(false);
        this.copy = connection.unwrap(PGConnection.class).getCopyAPI();
    }

    /**
     * An account's {@code AccountCreated} with {@code seats}, and its row in the account directory; {@code path} is
     * the ids from its root down to the account itself.
     */
    void accountCreated(List<UUID> path, int sequence, String name, long seats) throws SQLException, IOException {
        UUID account = path.get(path.size() - 1);
        UUID root = path.get(0);
        UUID parent = path.size() > 1 ? path.get(path.size() - 2) : null;
        event(account, sequence, "account.AccountCreated", "2", """
                {"accountId":"%s","rootId":"%s","parentId":%s,"name":"%s","description":null,\
                "externalId":null,"initialSeats":%d,"limits":{}}""".formatted(
                account, root, parent == null ? "null" : "\"" + parent + "\"", name, seats));
        accountRows.append(account).append(',').append(root).append(',').append(parent == null ? "" : parent)
                   .append(",\"{").append(path.stream().map(UUID::toString).collect(Collectors.joining(",")))
                   .append("}\",").append(path.size() - 1).append('\n');
        rowAdded();
    }

    /** The parent's side of a child's creation: {@code ChildAccountAdded}, handing the child {@code seats}. */
    void childAccountAdded(UUID parent, int sequence, UUID root, UUID child, long seats)
            throws SQLException, IOException {
        event(parent, sequence, "account.ChildAccountAdded", "1", """
                {"accountId":"%s","rootId":"%s","childId":"%s","seats":%d}""".formatted(parent, root, child, seats));
        rowAdded();
    }

    /** A device registered in {@code account}: {@code DeviceRegistered}, and its row in the device directory. */
    void deviceRegistered(UUID account, int sequence, UUID root, UUID device, String serial)
            throws SQLException, IOException {
        event(account, sequence, "device.DeviceRegistered", "1", """
                {"accountId":"%s","rootId":"%s","deviceId":"%s","serial":"%s","name":"d"}""".formatted(
                account, root, device, serial));
        deviceRows.append(device).append(',').append(serial).append(',').append(account).append('\n');
        rowAdded();
    }

    /** Writes what is left, commits, and updates the planner's statistics; answers the number of events written. */
    long commit() throws SQLException, IOException {
        flush();
        connection.commit();
        connection.setAutoCommit(true);
        connection.createStatement().execute("ANALYZE event_store.domain_event_entry; "
                                             + "ANALYZE command_lookup.account_node; ANALYZE command_lookup.device");
        return events;
    }

    /** {@code type}: the payload's class in {@code dev.arbor.api}, e.g. {@code account.AccountCreated}. */
    private void event(UUID aggregate, int sequence, String type, String revision, String payload) {
        String eventId = UUID.randomUUID().toString();
        String metaData = "{\"actor\":\"bulk-loader\",\"correlationId\":\"" + eventId + "\"}";
        eventRows.append(aggregate).append(',').append(sequence).append(",Account,")
                 .append(eventId).append(',').append(bytea(metaData)).append(',').append(bytea(payload)).append(',')
                 .append(revision).append(",dev.arbor.api.").append(type).append(',')
                 .append(start.plusMillis(events++)).append('\n');
    }

    private void rowAdded() throws SQLException, IOException {
        if (++pendingRows == ROWS_PER_COPY) {
            flush();
        }
    }

    private void flush() throws SQLException, IOException {
        copyIn(EVENTS, eventRows);
        copyIn(ACCOUNT_DIRECTORY, accountRows);
        copyIn(DEVICE_DIRECTORY, deviceRows);
        pendingRows = 0;
    }

    private void copyIn(String statement, StringBuilder rows) throws SQLException, IOException {
        if (!rows.isEmpty()) {
            copy.copyIn(statement, new StringReader(rows.toString()));
            rows.setLength(0);
        }
    }

    private static String bytea(String text) {
        return "\\x" + HEX.formatHex(text.getBytes(StandardCharsets.UTF_8));
    }
}
