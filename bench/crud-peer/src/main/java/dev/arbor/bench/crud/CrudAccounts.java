package dev.arbor.bench.crud;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.api.account.Seats;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The peer's commands, each one transaction: lock the rows the rules read, check the rules, update the rows, write
 * one audit row. The rules are Arbor's for these commands: an active account whose ancestors are active, a depth of
 * at most {@value #MAX_DEPTH}, free seats (seats not held by a device), seats moved only between a parent and its
 * child, serials unique.
 */
@Repository
class CrudAccounts {

    static final int MAX_DEPTH = 10;

    private final JdbcClient sql;
    private final ObjectMapper json;

    CrudAccounts(JdbcClient sql, ObjectMapper json) {
        this.sql = sql;
        this.json = json;
    }

    /** An account row as the rules read it, locked for the rest of the transaction. */
    private record Locked(UUID id, UUID rootId, UUID parentId, UUID[] ancestors, String status, long seats,
                          long devices, boolean ancestorInactive) {

        long free() {
            return seats - devices;
        }

        void requireOpen() {
            if (!"ACTIVE".equals(status) || ancestorInactive) {
                throw new RuleViolation(ErrorCode.ACCOUNT_SUSPENDED,
                                        "Account " + id + " or one of its ancestors is not active.");
            }
        }

        void requireFreeSeats(long wanted) {
            if (wanted > free()) {
                throw new RuleViolation(ErrorCode.INSUFFICIENT_SEATS,
                                        "Account " + id + " has " + free() + " free seats; " + wanted + " requested.");
            }
        }
    }

    @Transactional
    UUID createOrganization(String name, long seats, String actor) {
        requireSeats(seats);
        UUID id = UUID.randomUUID();
        sql.sql("INSERT INTO crud.account (id, root_id, ancestors, name, seats) VALUES (?, ?, '{}', ?, ?)")
           .params(id, id, name, seats).update();
        audit(id, "AccountCreated", actor, Map.of("name", name, "seats", seats));
        return id;
    }

    @Transactional
    UUID createChild(UUID parentId, String name, long seats, String actor) {
        requireSeats(seats);
        Locked parent = lock(List.of(parentId)).get(0);
        parent.requireOpen();
        if (parent.ancestors().length + 1 > MAX_DEPTH) {
            throw new RuleViolation(ErrorCode.DEPTH_LIMIT, "A child of " + parentId + " would be deeper than "
                    + MAX_DEPTH + ".");
        }
        parent.requireFreeSeats(seats);
        UUID id = UUID.randomUUID();
        sql.sql("UPDATE crud.account SET seats = seats - ? WHERE id = ?").params(seats, parentId).update();
        sql.sql("""
                INSERT INTO crud.account (id, root_id, parent_id, ancestors, name, seats)
                SELECT ?, root_id, id, ancestors || id, ?, ? FROM crud.account WHERE id = ?""")
           .params(id, name, seats, parentId).update();
        audit(id, "AccountCreated", actor, Map.of("parentId", parentId, "name", name, "seats", seats));
        return id;
    }

    @Transactional
    void moveSeats(UUID fromId, UUID toId, long seats, String actor) {
        if (seats <= 0) {
            throw new RuleViolation(ErrorCode.VALIDATION_FAILED, "Seats must be positive; got " + seats + ".");
        }
        requireSeats(seats);
        List<Locked> both = lock(List.of(fromId, toId));
        Locked from = both.get(0).id().equals(fromId) ? both.get(0) : both.get(1);
        Locked to = from == both.get(0) ? both.get(1) : both.get(0);
        if (!fromId.equals(to.parentId()) && !toId.equals(from.parentId())) {
            throw new RuleViolation(ErrorCode.NOT_PARENT_OR_CHILD, "Account " + toId + " is neither the parent nor a"
                    + " child of " + fromId + ".");
        }
        from.requireOpen();
        to.requireOpen();
        from.requireFreeSeats(seats);
        if (to.seats() > Seats.MAX - seats) {
            throw new RuleViolation(ErrorCode.TOO_MANY_SEATS, "Account " + toId + " would hold more than "
                    + Seats.MAX + " seats.");
        }
        sql.sql("UPDATE crud.account SET seats = seats + CASE WHEN id = ? THEN -? ELSE ? END WHERE id IN (?, ?)")
           .params(fromId, seats, seats, fromId, toId).update();
        audit(fromId, "SeatsMoved", actor, Map.of("to", toId, "seats", seats));
    }

    @Transactional
    UUID registerDevice(UUID accountId, String serial, String name, String actor) {
        Locked account = lock(List.of(accountId)).get(0);
        account.requireOpen();
        account.requireFreeSeats(1);
        UUID id = UUID.randomUUID();
        int inserted = sql.sql("""
                               INSERT INTO crud.device (id, account_id, serial, name) VALUES (?, ?, ?, ?)
                               ON CONFLICT (serial) DO NOTHING""").params(id, accountId, serial, name).update();
        if (inserted == 0) {
            throw new RuleViolation(ErrorCode.DUPLICATE_SERIAL, "A device with serial " + serial + " exists.");
        }
        sql.sql("UPDATE crud.account SET devices = devices + 1 WHERE id = ?").param(accountId).update();
        audit(accountId, "DeviceRegistered", actor, Map.of("deviceId", id, "serial", serial, "name", name));
        return id;
    }

    /** The accounts, locked in id order (so two commands on the same pair cannot deadlock); every one must exist. */
    private List<Locked> lock(List<UUID> ids) {
        List<Locked> locked = sql.sql("""
                SELECT a.id, a.root_id, a.parent_id, a.ancestors, a.status, a.seats, a.devices,
                       EXISTS (SELECT 1 FROM crud.account up WHERE up.id = ANY (a.ancestors) AND up.status <> 'ACTIVE')
                  FROM crud.account a WHERE a.id = ANY (?) ORDER BY a.id FOR UPDATE OF a""")
                                 .param(ids.toArray(UUID[]::new))
                                 .query((row, n) -> new Locked(row.getObject(1, UUID.class), row.getObject(2, UUID.class),
                                                               row.getObject(3, UUID.class),
                                                               (UUID[]) row.getArray(4).getArray(), row.getString(5),
                                                               row.getLong(6), row.getLong(7), row.getBoolean(8)))
                                 .list();
        if (locked.size() < ids.stream().distinct().count()) {
            throw new RuleViolation(ErrorCode.NOT_FOUND, "No account " + ids + ".");
        }
        return locked;
    }

    private void audit(UUID accountId, String type, String actor, Map<String, Object> payload) {
        try {
            sql.sql("INSERT INTO crud.audit (account_id, type, actor, payload) VALUES (?, ?, ?, ?::jsonb)")
               .params(accountId, type, actor, json.writeValueAsString(payload)).update();
        } catch (JsonProcessingException unexpected) {
            throw new IllegalStateException(unexpected);
        }
    }

    private static void requireSeats(long seats) {
        if (seats < 0) {
            throw new RuleViolation(ErrorCode.VALIDATION_FAILED, "Seats must not be negative; got " + seats + ".");
        }
        Seats.requireAtMost(seats, "The command");
    }
}
