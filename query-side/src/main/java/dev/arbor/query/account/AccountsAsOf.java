package dev.arbor.query.account;

import dev.arbor.api.account.AccountView;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.query.access.Scope;
import dev.arbor.query.processing.scratch.ScratchReadModel;
import dev.arbor.platform.eventstore.StoredEvents;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

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
    private final AsOfLimits limits;
    private final int maxAccounts;

    AccountsAsOf(JdbcClient jdbc, StoredEvents events, ScratchReadModel scratch, AsOfLimits limits,
                 @Value("${arbor.tree-max-nodes:10000}") int maxAccounts) {
        this.limits = limits;
        this.jdbc = jdbc;
        this.events = events;
        this.scratch = scratch;
        this.maxAccounts = maxAccounts;
    }

    /**
     * What {@code read} reads from the read model as it was at {@code asOf}, or as it is now when that is null. It is
     * handed which accounts the caller may see: a user sees a past account only if it was in the user's subtree then
     * (the reads' own scoped SQL, run against the past) and is now (the predicate), so no past state shows what lies
     * outside it today or lay outside it then. An account outside the scope today is not found before anything is
     * folded.
     */
    <T> T at(Scope scope, Instant asOf, UUID accountId, Function<Predicate<AccountView>, T> read) {
        if (asOf == null) {
            return read.apply(view -> true);
        }
        UUID root = scope.bind(jdbc.sql("SELECT root_id FROM account a WHERE a.id = :id AND " + scope.covers("a.path")))
                         .param("id", accountId).query(UUID.class)
                         .optional().orElseThrow(() -> AccountQueryController.notFound(accountId));
        List<UUID> organization = jdbc.sql("SELECT id FROM account WHERE root_id = ? LIMIT ?")
                                      .params(root, maxAccounts + 1).query(UUID.class).list();
        if (organization.size() > maxAccounts) {
            throw new RuleViolation(ErrorCode.TREE_TOO_LARGE, "Its organization has more than " + maxAccounts
                    + " accounts, too many to rebuild as of an instant; its history is at /api/v1/accounts/"
                    + accountId + "/history.");
        }
        Set<UUID> visibleNow = Set.copyOf(scope.bind(jdbc.sql("SELECT a.id FROM account a WHERE a.root_id = :root AND "
                                                              + scope.covers("a.path")))
                                               .param("root", root).query(UUID.class).list());
        Predicate<AccountView> visible = view -> visibleNow.contains(view.id());
        return limits.fold(() -> scratch.fold(() -> events.ofAggregates(organization, asOf), failures -> {
            if (!failures.isEmpty()) {
                // a past with an event left out (one parked live fails here too) would be a past that never was
                throw new IllegalStateException("The organization's events up to " + asOf + " could not all be folded: "
                                                + failures);
            }
            return read.apply(visible);
        }));
    }
}
