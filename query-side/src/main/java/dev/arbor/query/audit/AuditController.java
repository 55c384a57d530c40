package dev.arbor.query.audit;

import dev.arbor.api.audit.AuditEntry;
import dev.arbor.api.common.Page;
import dev.arbor.query.access.QueryScope;
import dev.arbor.query.access.Scope;
import dev.arbor.query.support.PageCursor;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Who did what, when, across accounts: the audit log newest first, filtered by any of actor, account, subtree
 * (the accounts under one today), event type and time. A user sees the events of its account's subtree only, and
 * a filter naming an account or a user outside it answers 404.
 */
@RestController
class AuditController {

    private final AuditLog log;
    private final QueryScope scope;

    AuditController(AuditLog log, QueryScope scope) {
        this.log = log;
        this.scope = scope;
    }

    @GetMapping("/api/v1/audit")
    Page<AuditEntry> audit(@RequestParam(required = false) @Size(max = 256) String actor,
                           @RequestParam(required = false) UUID accountId,
                           @RequestParam(required = false) UUID subtreeOf,
                           @RequestParam(required = false) @Size(max = 100) String type,
                           @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME)
                           Instant from,
                           @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME)
                           Instant to,
                           @RequestParam(defaultValue = "50") @Min(1) @Max(1000) int limit,
                           @RequestParam(required = false) String cursor) {
        Scope visible = scope.current();
        // a filter naming what the caller cannot read answers 404 as that read does, before the log is read
        scope.requireAccountsIn(visible, Stream.of(accountId, subtreeOf).filter(Objects::nonNull).toList());
        if (actor != null) {
            scope.requireUserIn(visible, actor);
        }
        PageCursor after = PageCursor.decode(cursor);
        AuditLog.Filters filters = new AuditLog.Filters(actor, accountId, subtreeOf, type, from, to,
                                                        after == null ? null : after.longKey());
        List<AuditEntry> page = log.page(visible, filters, limit + 1);
        return PageCursor.page(page, limit, entry -> PageCursor.at(entry.position()));
    }
}
