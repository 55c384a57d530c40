package dev.arbor.query.account;

import dev.arbor.query.processing.ProcessingGroups;
import dev.arbor.query.processing.ReadModelWriter;
import dev.arbor.api.account.AccountCreated;
import dev.arbor.api.account.AccountDeleted;
import dev.arbor.api.account.AccountDetailsUpdated;
import dev.arbor.api.account.AccountMoved;
import dev.arbor.api.account.AccountReactivated;
import dev.arbor.api.account.AccountSuspended;
import dev.arbor.api.account.AccountUnsuspended;
import dev.arbor.api.account.ChildAccountAdded;
import dev.arbor.api.account.ChildAccountAttached;
import dev.arbor.api.account.ChildAccountDetached;
import dev.arbor.api.account.ChildAccountRemoved;
import dev.arbor.api.account.ChildAccountRestored;
import dev.arbor.api.account.ChildLimitsChanged;
import dev.arbor.api.account.ConfigurationUpdated;
import dev.arbor.api.account.LimitsChanged;
import dev.arbor.api.account.SeatsGranted;
import dev.arbor.api.account.SeatsReceived;
import dev.arbor.api.account.SeatsSent;
import dev.arbor.api.account.UserAttached;
import dev.arbor.api.account.UsageReported;
import dev.arbor.api.account.UserDetached;
import dev.arbor.api.device.DeviceRegistered;
import dev.arbor.api.device.DeviceRemoved;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.query.processing.Replay;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.replay.ResetContext;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Folds account events into {@code account}. Idempotent: a row remembers the sequence number of the
 * last event applied to it ({@code version}) and ignores anything not newer, so redelivered or replayed events
 * change nothing.
 * <p>
 * The common events (creations, seat and device and user counts) leave their statements to {@link ReadModelWriter},
 * which sends a batch's together; the rest run theirs at once, after those waiting ({@link ReadModelWriter#sql}).
 */
@Component
@ProcessingGroup(ProcessingGroups.PROJECTION)
class AccountProjection {

    private static final TypeReference<Map<String, Integer>> COUNTERS = new TypeReference<>() {
    };

    private final ReadModelWriter writer;
    private final ObjectMapper json;

    AccountProjection(ReadModelWriter writer, ObjectMapper json) {
        this.writer = writer;
        this.json = json;
    }

    @ResetHandler
    void clear(ResetContext<?> reset) {
        if (Replay.fromScratch(reset)) {
            writer.sql("TRUNCATE account, account_former_path").update();
        }
    }

    /** The new row under its parent, counted in its ancestors' descendants and its parent's children. */
    @EventHandler
    void on(AccountCreated event, @Timestamp Instant at, @SequenceNumber long version) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", event.accountId());
        row.put("name", event.name());
        row.put("description", event.description());
        row.put("externalId", event.externalId());
        row.put("label", event.label());
        row.put("parentId", event.parentId());
        row.put("rootId", event.rootId());
        row.put("seats", event.initialSeats());
        row.put("limits", toJson(event.limits()));
        row.put("at", utc(at));
        row.put("version", version);
        writer.add(ReadModelWriter.Phase.CREATE, AccountWrites.CREATE, row);
    }

    @EventHandler
    void on(ChildAccountAdded event, @Timestamp Instant at, @SequenceNumber long version) {
        addSeats(event.accountId(), -event.seats(), at, version);
    }

    @EventHandler
    void on(SeatsSent event, @Timestamp Instant at, @SequenceNumber long version) {
        addSeats(event.accountId(), -event.seats(), at, version);
    }

    @EventHandler
    void on(SeatsReceived event, @Timestamp Instant at, @SequenceNumber long version) {
        addSeats(event.accountId(), event.seats(), at, version);
    }

    @EventHandler
    void on(SeatsGranted event, @Timestamp Instant at, @SequenceNumber long version) {
        addSeats(event.accountId(), event.seats(), at, version);
    }

    @EventHandler
    void on(ChildAccountRemoved event, @Timestamp Instant at, @SequenceNumber long version) {
        addSeats(event.accountId(), event.seatsReturned(), at, version);
    }

    @EventHandler
    void on(ChildAccountRestored event, @Timestamp Instant at, @SequenceNumber long version) {
        addSeats(event.accountId(), -event.seats(), at, version);
    }

    @EventHandler
    void on(AccountSuspended event, @Timestamp Instant at, @SequenceNumber long version) {
        if (update(event.accountId(), "status = 'SUSPENDED'", Map.of(), at, version) == 1) {
            refreshSuspendedBy(event.accountId());
        }
    }

    @EventHandler
    void on(AccountUnsuspended event, @Timestamp Instant at, @SequenceNumber long version) {
        if (update(event.accountId(), "status = 'ACTIVE'", Map.of(), at, version) == 1) {
            refreshSuspendedBy(event.accountId());
        }
    }

    /** A suspended account that is deleted no longer suspends its subtree (a reactivated one comes back ACTIVE). */
    @EventHandler
    void on(AccountDeleted event, @Timestamp Instant at, @SequenceNumber long version) {
        if (update(event.accountId(), "status = 'DELETED', seats_total = 0", Map.of(), at, version) == 1) {
            countSubtree(event.accountId(), -1);
            refreshSuspendedBy(event.accountId());
        }
    }

    @EventHandler
    void on(AccountReactivated event, @Timestamp Instant at, @SequenceNumber long version) {
        if (update(event.accountId(), "status = 'ACTIVE', seats_total = :seats", Map.of("seats", event.seats()), at,
                   version) == 1) {
            countSubtree(event.accountId(), 1);
        }
    }

    @EventHandler
    void on(AccountDetailsUpdated event, @Timestamp Instant at, @SequenceNumber long version) {
        Map<String, Object> details = new HashMap<>();
        details.put("name", event.name());
        details.put("description", event.description());
        details.put("externalId", event.externalId());
        details.put("label", event.label());
        update(event.accountId(), "name = :name, description = :description, external_id = :externalId, "
                                  + "label = :label", details, at, version);
    }

    /**
     * The moved account takes its new parent; every path in its subtree takes the new parent's path as prefix. Each
     * path it had before is kept with the move's position, for the reads that show an account's events only from
     * where it then was ({@code Scope#coversAccountAt}). The position is the event's global index, read from the
     * store by the statement itself, as the audit log's is; an event the store does not hold fails here rather
     * than leave a path without its end.
     */
    @EventHandler
    void on(AccountMoved event, @Timestamp Instant at, @SequenceNumber long version) {
        if (claim(event.accountId(), at, version)) {
            writer.sql("""
                     INSERT INTO account_former_path (id, until_position, path)
                     SELECT a.id, (SELECT e.global_index FROM event_store.domain_event_entry e
                                    WHERE e.aggregate_identifier = :aggregate AND e.sequence_number = :version),
                            a.path
                       FROM account a
                      WHERE a.path @> ARRAY[CAST(:id AS uuid)]
                     """)
                .param("aggregate", event.accountId().toString())
                .param("version", version)
                .param("id", event.accountId())
                .update();
            countSubtree(event.accountId(), -1);
            writer.sql("UPDATE account SET parent_id = :parentId WHERE id = :id")
                .param("id", event.accountId())
                .param("parentId", event.toParentId())
                .update();
            writer.sql("""
                     UPDATE account a
                        SET path = p.path || a.path[array_position(a.path, :id):],
                            depth = cardinality(p.path) + cardinality(a.path) - array_position(a.path, :id)
                       FROM account p
                      WHERE p.id = :parentId AND a.path @> ARRAY[CAST(:id AS uuid)]
                     """)
                .param("id", event.accountId())
                .param("parentId", event.toParentId())
                .update();
            countSubtree(event.accountId(), 1);
            refreshSuspendedBy(event.accountId());
        }
    }

    @EventHandler
    void on(DeviceRegistered event, @Timestamp Instant at, @SequenceNumber long version) {
        count(event.accountId(), 0, 1, 0, at, version);
    }

    @EventHandler
    void on(DeviceRemoved event, @Timestamp Instant at, @SequenceNumber long version) {
        count(event.accountId(), 0, -1, 0, at, version);
    }

    @EventHandler
    void on(UserAttached event, @Timestamp Instant at, @SequenceNumber long version) {
        count(event.accountId(), 0, 0, 1, at, version);
    }

    @EventHandler
    void on(UserDetached event, @Timestamp Instant at, @SequenceNumber long version) {
        count(event.accountId(), 0, 0, -1, at, version);
    }

    @EventHandler
    void on(ChildAccountDetached event, @Timestamp Instant at, @SequenceNumber long version) {
        touch(event.accountId(), at, version);
    }

    @EventHandler
    void on(ChildAccountAttached event, @Timestamp Instant at, @SequenceNumber long version) {
        touch(event.accountId(), at, version);
    }

    /** Events that change nothing this view shows still advance its version, which clients compare. */
    @EventHandler
    void on(LimitsChanged event, @Timestamp Instant at, @SequenceNumber long version) {
        update(event.accountId(), "limits = CAST(:limits AS jsonb)", Map.of("limits", toJson(event.limits())), at,
               version);
    }

    /**
     * The account's own usage, and its change on every row of its path. The row is locked before its usage is read,
     * as {@link AccountWrites} locks before counting: a transaction folding the same event at the same time (a
     * segment's hand-over) then reads it only once this one has committed, and its guarded update finds the event
     * already applied, so the change is added once.
     */
    @EventHandler
    void on(UsageReported event, @Timestamp Instant at, @SequenceNumber long version) {
        Optional<Map<String, Integer>> before = writer.sql(
                        "SELECT usage FROM account WHERE id = :id FOR NO KEY UPDATE")
                .param("id", event.accountId())
                .query((rs, row) -> readCounters(rs.getString("usage")))
                .optional();
        if (before.isEmpty() || update(event.accountId(), "usage = CAST(:usage AS jsonb)",
                                       Map.of("usage", toJson(event.usage())), at, version) == 0) {
            return;
        }
        Map<String, UsageRollUp.Total> change = UsageRollUp.change(before.get(), event.usage());
        if (!change.isEmpty()) {
            writer.sql("UPDATE account a SET subtree_usage = "
                + UsageRollUp.plus("a.subtree_usage", "CAST(:change AS jsonb)", "1")
                + " FROM account reported WHERE reported.id = :id AND a.id = ANY (reported.path)")
                .param("id", event.accountId())
                .param("change", toJson(change))
                .update();
        }
    }

    @EventHandler
    void on(ChildLimitsChanged event, @Timestamp Instant at, @SequenceNumber long version) {
        touch(event.accountId(), at, version);
    }

    @EventHandler
    void on(ConfigurationUpdated event, @Timestamp Instant at, @SequenceNumber long version) {
        update(event.accountId(), "config = CAST(:config AS jsonb)", Map.of("config", toJson(event.configuration())),
               at, version);
    }

    /**
     * Adds ({@code sign} 1) or removes (-1) a live account with its live subtree from the counts above it: its
     * parent's children, every ancestor's descendants, and every ancestor's rolled-up usage ({@link UsageRollUp}).
     * Called only once the event's own row change applied, so a redelivered event counts nothing twice.
     */
    private void countSubtree(UUID accountId, int sign) {
        writer.sql("""
                 WITH moved AS (SELECT parent_id, path, 1 + descendant_count AS size, subtree_usage
                                  FROM account WHERE id = :id)
                 UPDATE account a
                    SET descendant_count = a.descendant_count + :sign * moved.size,
                        child_count = a.child_count + CASE WHEN a.id = moved.parent_id THEN :sign ELSE 0 END,
                        subtree_usage = """ + UsageRollUp.plus("a.subtree_usage", "moved.subtree_usage", "CAST(:sign AS integer)") + """
                   FROM moved
                  WHERE a.id = ANY (moved.path) AND a.id <> :id
                 """)
            .param("id", accountId)
            .param("sign", sign)
            .update();
    }

    /**
     * Sets {@code suspended_by} across the account's subtree after its status or place changed: for each row, the
     * topmost SUSPENDED account on its path. The candidates are the few suspended accounts of the subtree and above
     * it, found once; only rows whose value changes are written.
     */
    private void refreshSuspendedBy(UUID accountId) {
        writer.sql("""
                 WITH suspended AS MATERIALIZED (
                          SELECT id FROM account WHERE path @> ARRAY[CAST(:id AS uuid)] AND status = 'SUSPENDED'
                           UNION
                          SELECT id FROM account
                           WHERE id IN (SELECT unnest(path) FROM account WHERE id = :id) AND status = 'SUSPENDED'),
                      refreshed AS (
                          SELECT a.id, (SELECT s.id FROM suspended s WHERE s.id = ANY (a.path)
                                         ORDER BY array_position(a.path, s.id) LIMIT 1) AS suspended_by
                            FROM account a WHERE a.path @> ARRAY[CAST(:id AS uuid)])
                 UPDATE account a
                    SET suspended_by = refreshed.suspended_by
                   FROM refreshed
                  WHERE a.id = refreshed.id AND a.suspended_by IS DISTINCT FROM refreshed.suspended_by
                 """)
            .param("id", accountId)
            .update();
    }

    /**
     * Stamps the event on its account's row unless the row has seen it, and says whether it did. The row stays locked
     * until the batch commits, so of two transactions folding the same event (two nodes in a segment's hand-over),
     * only one claims it: the other's update waits, then finds the version already there. A handler whose writes are
     * not guarded by the row's version themselves (relative counts, the rows of a subtree) runs them only once it has
     * claimed the event.
     */
    private boolean claim(UUID accountId, Instant at, long version) {
        return update(accountId, "", Map.of(), at, version) == 1;
    }

    private Map<String, Integer> readCounters(String text) {
        try {
            return json.readValue(text, COUNTERS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable usage in account: " + text, e);
        }
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void touch(UUID accountId, Instant at, long version) {
        count(accountId, 0, 0, 0, at, version);
    }

    private void addSeats(UUID accountId, long difference, Instant at, long version) {
        count(accountId, difference, 0, 0, at, version);
    }

    /** Adds to the row's counts, and stamps the event's time and sequence number, unless the row has seen it. */
    private void count(UUID accountId, long seats, int devices, int users, Instant at, long version) {
        writer.add(ReadModelWriter.Phase.CHANGE, AccountWrites.COUNT,
                       Map.of("id", accountId, "seats", seats, "devices", devices, "users", users, "at", utc(at),
                              "version", version));
    }

    /**
     * Applies {@code assignments} to the account's row unless the row has already seen this event (its version is
     * at or past the event's sequence number), and stamps the event's time and sequence number on it.
     */
    private int update(UUID accountId, String assignments, Map<String, ?> values, Instant at, long version) {
        String changes = assignments.isEmpty() ? "" : assignments + ", ";
        return writer.sql("UPDATE account SET " + changes + "updated_at = :at, version = :version"
                         + " WHERE id = :id AND version < :version")
            .params(values)
            .param("id", accountId)
            .param("at", utc(at))
            .param("version", version)
            .update();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
