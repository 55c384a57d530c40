package dev.arbor.query.account;

import dev.arbor.query.processing.ReadModelWriter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.arbor.query.processing.RowColumns.column;
import static dev.arbor.query.processing.RowColumns.texts;

/**
 * The account projection's common writes, set-based: each takes every row a batch gave it in a statement or two,
 * whatever their number ({@link ReadModelWriter}). A batch of an organization's creations updates each ancestor's
 * counts once, not once per account below it.
 */
final class AccountWrites {

    /**
     * Inserts created accounts (rows: id, name, description, externalId, label, parentId, rootId, seats, limits as
     * JSON, at, version), each under its parent's path, and counts the inserted ones, not those already there, into their
     * ancestors' descendants and their parents' children.
     */
    static final ReadModelWriter.Write CREATE = AccountWrites::create;

    /**
     * Adds to accounts' counts (rows: id, seats, devices, users, at, version) and stamps each row with its last
     * event's time and sequence number, leaving out the events a row has already seen (its version is at or past
     * theirs). A row's events come in order, so those left are the ones after the row's version.
     */
    static final ReadModelWriter.Write COUNT = AccountWrites::count;

    /** Where an account sits: its path from the root, its depth, and the topmost suspended account on that path. */
    private record Place(UUID[] path, int depth, UUID suspendedBy) {

        Place under(UUID child) {
            UUID[] childPath = Arrays.copyOf(path, path.length + 1);
            childPath[path.length] = child;
            return new Place(childPath, depth + 1, suspendedBy);
        }
    }

    private AccountWrites() {
    }

    private static void create(Connection connection, List<Map<String, ?>> rows) throws SQLException {
        Map<UUID, Place> places = placesInTheReadModel(connection, rows);
        int size = rows.size();
        UUID[] ids = new UUID[size];
        UUID[] parents = new UUID[size];
        UUID[] suspendedBy = new UUID[size];
        Integer[] depths = new Integer[size];
        String[] paths = new String[size];
        for (int i = 0; i < size; i++) {
            ids[i] = (UUID) rows.get(i).get("id");
            parents[i] = (UUID) rows.get(i).get("parentId");
            Place parent = parents[i] == null ? null : places.get(parents[i]);
            // an account whose parent has no row (its creation parked) starts a path of its own, as a root would
            Place place = places.computeIfAbsent(ids[i], id -> parent == null ? new Place(new UUID[] {id}, 0, null)
                                                                             : parent.under(id));
            depths[i] = place.depth();
            paths[i] = Arrays.stream(place.path()).map(UUID::toString).collect(Collectors.joining(",", "{", "}"));
            suspendedBy[i] = place.suspendedBy();
        }
        List<UUID> inserted = new ArrayList<>();
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO account (id, name, description, external_id, label, parent_id, root_id, depth, path,
                                     suspended_by, status, seats_total, limits, created_at, updated_at, version)
                SELECT e.id, e.name, e.description, e.external_id, e.label, e.parent_id, e.root_id, e.depth,
                       CAST(e.path AS uuid[]), e.suspended_by, 'ACTIVE', e.seats, CAST(e.limits AS jsonb),
                       CAST(e.at AS timestamptz), CAST(e.at AS timestamptz), e.version
                  FROM unnest(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                       AS e(id, name, description, external_id, label, parent_id, root_id, depth, path, suspended_by,
                            seats, limits, at, version)
                ON CONFLICT (id) DO NOTHING
                RETURNING id""")) {
            insert.setArray(1, connection.createArrayOf("uuid", ids));
            insert.setArray(2, texts(connection, rows, "name"));
            insert.setArray(3, texts(connection, rows, "description"));
            insert.setArray(4, texts(connection, rows, "externalId"));
            insert.setArray(5, texts(connection, rows, "label"));
            insert.setArray(6, connection.createArrayOf("uuid", parents));
            insert.setArray(7, connection.createArrayOf("uuid", column(rows, "rootId", UUID[]::new)));
            insert.setArray(8, connection.createArrayOf("integer", depths));
            insert.setArray(9, connection.createArrayOf("text", paths));
            insert.setArray(10, connection.createArrayOf("uuid", suspendedBy));
            insert.setArray(11, connection.createArrayOf("bigint", column(rows, "seats", Long[]::new)));
            insert.setArray(12, texts(connection, rows, "limits"));
            insert.setArray(13, texts(connection, rows, "at"));
            insert.setArray(14, connection.createArrayOf("bigint", column(rows, "version", Long[]::new)));
            try (ResultSet result = insert.executeQuery()) {
                while (result.next()) {
                    inserted.add(result.getObject(1, UUID.class));
                }
            }
        }
        countIntoAncestors(connection, inserted, places);
    }

    /**
     * Where the parents, and the accounts themselves, are now, read once for all. A created account's row that is
     * already there (a redelivered event) keeps its place, and its children in the batch go under that place, as they
     * would one event at a time.
     */
    private static Map<UUID, Place> placesInTheReadModel(Connection connection, List<Map<String, ?>> rows)
            throws SQLException {
        UUID[] accounts = rows.stream().flatMap(row -> Stream.of(row.get("parentId"), row.get("id")))
                              .filter(Objects::nonNull).distinct().toArray(UUID[]::new);
        Map<UUID, Place> places = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, path, depth, suspended_by FROM account WHERE id = ANY (?)")) {
            select.setArray(1, connection.createArrayOf("uuid", accounts));
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    places.put(result.getObject(1, UUID.class),
                               new Place((UUID[]) result.getArray(2).getArray(), result.getInt(3),
                                         result.getObject(4, UUID.class)));
                }
            }
        }
        return places;
    }

    private static void countIntoAncestors(Connection connection, List<UUID> inserted, Map<UUID, Place> places)
            throws SQLException {
        Map<UUID, int[]> counts = new LinkedHashMap<>();
        for (UUID id : inserted) {
            UUID[] path = places.get(id).path();
            for (int i = 0; i < path.length - 1; i++) {
                counts.computeIfAbsent(path[i], ancestor -> new int[2])[0]++;
            }
            if (path.length > 1) {
                counts.get(path[path.length - 2])[1]++;
            }
        }
        if (counts.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE account a
                   SET descendant_count = a.descendant_count + c.descendants,
                       child_count = a.child_count + c.children
                  FROM unnest(?, ?, ?) AS c(id, descendants, children)
                 WHERE a.id = c.id""")) {
            update.setArray(1, connection.createArrayOf("uuid", counts.keySet().toArray(UUID[]::new)));
            update.setArray(2, connection.createArrayOf("integer", counts.values().stream().map(c -> c[0])
                                                                         .toArray(Integer[]::new)));
            update.setArray(3, connection.createArrayOf("integer", counts.values().stream().map(c -> c[1])
                                                                         .toArray(Integer[]::new)));
            update.executeUpdate();
        }
    }

    /**
     * Locks the rows first: under READ COMMITTED the update's own snapshot is then taken after any transaction that
     * changed them (another node folding the same events during a segment's hand-over) has committed, so its version
     * guard sees their last version. Without the lock, the guard would read the row as it was before that
     * transaction, and PostgreSQL's recheck of the locked row covers the update's own conditions, not the join
     * that applies the guard: the same events would be added twice. Each event counts once even if the batch has it
     * twice (a redelivery).
     */
    private static void count(Connection connection, List<Map<String, ?>> rows) throws SQLException {
        UUID[] ids = column(rows, "id", UUID[]::new);
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT id FROM account WHERE id = ANY (?) ORDER BY id FOR NO KEY UPDATE")) {
            lock.setArray(1, connection.createArrayOf("uuid", ids));
            lock.executeQuery().close();
        }
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE account a
                   SET seats_total = a.seats_total + d.seats, seats_used = a.seats_used + d.devices,
                       user_count = a.user_count + d.users, updated_at = d.at, version = d.version
                  FROM (SELECT e.id, sum(e.seats) AS seats, sum(e.devices) AS devices, sum(e.users) AS users,
                               max(e.version) AS version,
                               CAST((array_agg(e.at ORDER BY e.version DESC))[1] AS timestamptz) AS at
                          FROM (SELECT DISTINCT ON (id, version) *
                                  FROM unnest(?, ?, ?, ?, ?, ?) AS e(id, seats, devices, users, at, version)) e
                          JOIN account known ON known.id = e.id AND e.version > known.version
                         GROUP BY e.id) d
                 WHERE a.id = d.id""")) {
            update.setArray(1, connection.createArrayOf("uuid", ids));
            update.setArray(2, connection.createArrayOf("bigint", column(rows, "seats", Long[]::new)));
            update.setArray(3, connection.createArrayOf("integer", column(rows, "devices", Integer[]::new)));
            update.setArray(4, connection.createArrayOf("integer", column(rows, "users", Integer[]::new)));
            update.setArray(5, texts(connection, rows, "at"));
            update.setArray(6, connection.createArrayOf("bigint", column(rows, "version", Long[]::new)));
            update.executeUpdate();
        }
    }
}
