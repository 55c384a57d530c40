package dev.arbor.query.audit;

import dev.arbor.api.audit.AuditEntry;
import dev.arbor.query.access.Scope;
import dev.arbor.platform.eventstore.StoredEvents;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.UUID;

/**
 * An account's events as audit entries, straight from the event store, only for an account in the caller's
 * {@link Scope}: what the history endpoint reads, and all it may read of the store.
 */
@Component
class AccountHistory {

    private final StoredEvents events;
    private final AuditEntries entries;

    AccountHistory(StoredEvents events, AuditEntries entries) {
        this.events = events;
        this.entries = entries;
    }

    /** At most {@code limit} entries after sequence number {@code afterSequence}, in order. */
    List<AuditEntry> page(Scope scope, UUID accountId, long afterSequence, int limit) {
        // only the events from when the account lay in the scope (the admin's takes any aggregate, even one the read
        // model does not have yet)
        return events.ofAggregate(accountId, afterSequence, limit,
                                  scope.coversAccountAt("CAST(:account AS uuid)", "global_index"),
                                  statement -> scope.bindAt(statement.param("account", accountId)))
                     .stream().map(entries::of).toList();
    }
}
