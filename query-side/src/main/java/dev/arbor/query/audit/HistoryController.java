package dev.arbor.query.audit;

import dev.arbor.api.audit.AuditEntry;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.Page;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.query.access.QueryScope;
import dev.arbor.query.access.Scope;
import dev.arbor.query.support.PageCursor;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.UUID;

/**
 * An account's events in order, straight from the event store (never behind, unlike the read model); for a user,
 * only an account of its subtree, which the read model must already hold, and only its events from when it lay in
 * the subtree: an account moved in shows nothing of what happened to it before.
 */
@RestController
class HistoryController {

    private final AccountHistory history;
    private final QueryScope scope;

    HistoryController(AccountHistory history, QueryScope scope) {
        this.history = history;
        this.scope = scope;
    }

    @GetMapping("/api/v1/accounts/{id}/history")
    Page<AuditEntry> history(@PathVariable UUID id,
                             @RequestParam(defaultValue = "50") @Min(1) @Max(1000) int limit,
                             @RequestParam(required = false) String cursor) {
        Scope visible = scope.current();
        PageCursor after = PageCursor.decode(cursor);
        long afterSequence = after == null ? -1 : after.longKey();
        List<AuditEntry> page = history.page(visible, id, afterSequence, limit + 1);
        if (page.isEmpty() && after == null) {
            // the admin sees every event: none means no such account. A user's account in scope may show none, when
            // it came in with an account above it and has done nothing since: an empty page, as its audit shows
            if (visible.root() == null) {
                throw new RuleViolation(ErrorCode.NOT_FOUND, "No account with id " + id + ".");
            }
            scope.requireAccountsIn(visible, List.of(id));
        }
        return PageCursor.page(page, limit, entry -> PageCursor.at(entry.sequence()));
    }
}
