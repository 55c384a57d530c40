package dev.arbor.query.account;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.query.processing.ScratchReadModel;
import dev.arbor.query.processing.StoredEvents;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Time travel: the read model as it was at an instant. An account's row depends on its whole organization (the path
 * above it, the counts below it), so the organization's events up to that instant are folded into a scratch read
 * model by the projections' own handlers, and read there by the views' own queries. Organizations larger than
 * {@code arbor.tree-max-nodes} are refused like too large a tree.
 */
@Component
class AccountsAsOf {

    private final JdbcClient jdbc;
    private final StoredEvents events;
    private final ScratchReadModel scratch;
    private final int maxAccounts;

    AccountsAsOf(JdbcClient jdbc, StoredEvents events, ScratchReadModel scratch,
                 @Value("${arbor.tree-max-nodes:10000}") int maxAccounts) {
        this.jdbc = jdbc;
        this.events = events;
        this.scratch = scratch;
        this.maxAccounts = maxAccounts;
    }

    /** What {@code read} reads from the read model as it was at {@code asOf}, or as it is now when that is null. */
    <T> T at(Instant asOf, UUID accountId, Supplier<T> read) {
        if (asOf == null) {
            return read.get();
        }
        UUID root = jdbc.sql("SELECT root_id FROM account WHERE id = ?").param(accountId).query(UUID.class)
                        .optional().orElseThrow(() -> AccountQueryController.notFound(accountId));
        List<UUID> organization = jdbc.sql("SELECT id FROM account WHERE root_id = ? LIMIT ?")
                                      .params(root, maxAccounts + 1).query(UUID.class).list();
        if (organization.size() > maxAccounts) {
            throw new RuleViolation(ErrorCode.TREE_TOO_LARGE, "Its organization has more than " + maxAccounts
                    + " accounts, too many to rebuild as of an instant; its history is at /api/v1/accounts/"
                    + accountId + "/history.");
        }
        return scratch.fold(events.ofAggregates(organization, asOf), read);
    }
}
