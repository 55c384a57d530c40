package dev.arbor.query.account;

import dev.arbor.api.account.AccountConfiguration;
import dev.arbor.api.account.AccountStatus;
import dev.arbor.api.account.AccountView;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.Page;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.query.access.QueryScope;
import dev.arbor.query.access.Scope;
import dev.arbor.query.support.PageCursor;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Account queries over HTTP, answered from the read model. Lists answer {@code {items, nextCursor}}: {@code limit}
 * (default 50, at most 1000) with the opaque {@code cursor} of the previous page, or {@code offset} for clients
 * that page by number. Deleted accounts are readable by id but left out of lists. A user sees its account's subtree:
 * every read takes the caller's {@link Scope} into its SQL, so an account outside is not found (404).
 */
@RestController
@RequestMapping("/api/v1/accounts")
class AccountQueryController {

    private static final String DEFAULT_LIMIT = "50";
    private static final String DEEPEST = "1000";

    private final AccountViews accounts;
    private final AccountsAsOf past;
    private final QueryScope scope;
    private final int treeMaxNodes;

    AccountQueryController(AccountViews accounts, AccountsAsOf past, QueryScope scope,
                           @Value("${arbor.tree-max-nodes:10000}") int treeMaxNodes) {
        this.accounts = accounts;
        this.past = past;
        this.scope = scope;
        this.treeMaxNodes = treeMaxNodes;
    }

    /**
     * Search with an RSQL filter, e.g. {@code status==ACTIVE;name=like=acme*;createdAt=ge=2026-01-01}, over name,
     * externalId, label, status, effectiveStatus, parentId, rootId, depth, seats, createdAt and updatedAt. Sorted by
     * {@code sort=field,asc|desc} (default id); deleted accounts only with {@code includeDeleted=true} or a filter
     * naming a status. Every order pages by keyset (see {@link AccountSort}). A filter naming an account the caller
     * cannot read ({@code parentId}, {@code rootId}) answers 404, as that account's read does.
     */
    @GetMapping
    Page<AccountView> search(@RequestParam(required = false) String filter,
                             @RequestParam(defaultValue = "id,asc") String sort,
                             @RequestParam(defaultValue = "false") boolean includeDeleted,
                             @RequestParam(defaultValue = DEFAULT_LIMIT) @Min(1) @Max(1000) int limit,
                             @RequestParam(required = false) String cursor,
                             @RequestParam(defaultValue = "0") @Min(0) int offset) {
        Scope visible = scope.current();
        AccountFilter.Condition condition = filter == null || filter.isBlank() ? null : AccountFilter.parse(filter);
        if (condition != null) {
            // whichever operator names it: the answer must not tell a foreign account from one that does not exist
            scope.requireAccountsIn(visible, condition.namedAccounts());
        }
        AccountSort order = AccountSort.parse(sort);
        List<AccountView> page = accounts.search(visible, condition, includeDeleted, order,
                                                 PageCursor.decode(cursor), offset, limit + 1);
        return PageCursor.page(page, limit, order::cursorAfter);
    }

    /** The account now, or with {@code asOf} (an ISO-8601 instant) as it was then, rebuilt from its events. */
    @GetMapping("/{id}")
    AccountView account(@PathVariable UUID id,
                        @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME)
                        Instant asOf) {
        return past.at(scope.current(), asOf, id,
                       visible -> accounts.find(scope.current(), id).filter(visible).orElseThrow(() -> notFound(id)));
    }

    /** The account's configuration, as in its view: {@code {billable, properties, defaultChildLimits}}. */
    @GetMapping("/{id}/config")
    AccountConfiguration config(@PathVariable UUID id) {
        return account(scope.current(), id).config();
    }

    /** The account's limits, as in its view: {@code {"maxVMs": 100, ...}}, empty when it has none. */
    @GetMapping("/{id}/limits")
    Map<String, Integer> limits(@PathVariable UUID id) {
        return account(scope.current(), id).limits();
    }

    private AccountView account(Scope visible, UUID id) {
        return accounts.find(visible, id).orElseThrow(() -> notFound(id));
    }

    /**
     * The live children, in id order; with {@code includeSelf=true}, the account itself first and then its children:
     * the subtree one level deep, paged as {@link #descendants} pages it.
     */
    @GetMapping("/{id}/children")
    Page<AccountView> children(@PathVariable UUID id,
                               @RequestParam(defaultValue = "false") boolean includeSelf,
                               @RequestParam(defaultValue = DEFAULT_LIMIT) @Min(1) @Max(1000) int limit,
                               @RequestParam(required = false) String cursor,
                               @RequestParam(defaultValue = "0") @Min(0) int offset) {
        Scope visible = scope.current();
        AccountView of = account(visible, id);
        if (includeSelf) {
            return subtree(visible, of, 1, true, cursor, offset, limit);
        }
        PageCursor after = PageCursor.decode(cursor);
        List<AccountView> page = accounts.children(visible, id, after == null ? null : after.id(), offset, limit + 1);
        return PageCursor.page(page, limit, view -> PageCursor.after(view.id()));
    }

    /**
     * All live descendants, flat and breadth-first, at most {@code maxDepth} levels down; with
     * {@code includeSelf=true}, the account itself first (unless it is deleted, as lists leave those out).
     */
    @GetMapping("/{id}/descendants")
    Page<AccountView> descendants(@PathVariable UUID id,
                                  @RequestParam(defaultValue = DEEPEST) @Min(1) int maxDepth,
                                  @RequestParam(defaultValue = "false") boolean includeSelf,
                                  @RequestParam(defaultValue = DEFAULT_LIMIT) @Min(1) @Max(1000) int limit,
                                  @RequestParam(required = false) String cursor,
                                  @RequestParam(defaultValue = "0") @Min(0) int offset) {
        Scope visible = scope.current();
        return subtree(visible, account(visible, id), maxDepth, includeSelf, cursor, offset, limit);
    }

    /**
     * A page of the subtree below {@code of} in {@code (depth, id)} order, with {@code of} itself ahead of it when
     * {@code withSelf}. The account sorts before everything below it, so it is the first item of the first page and
     * counts as the first for {@code offset}; a cursor always lies past it, so later pages are the subtree's alone.
     */
    private Page<AccountView> subtree(Scope visible, AccountView of, int maxDepth, boolean withSelf, String cursor,
                                      int offset, int limit) {
        PageCursor after = PageCursor.decode(cursor);
        boolean self = withSelf && after == null && of.status() != AccountStatus.DELETED;
        boolean selfOnThisPage = self && offset == 0;
        List<AccountView> below = accounts.descendants(visible, of, maxDepth, after == null ? null : after.intKey(),
                                                       after == null ? null : after.id(),
                                                       self && offset > 0 ? offset - 1 : offset,
                                                       selfOnThisPage ? limit : limit + 1);
        List<AccountView> page = selfOnThisPage ? Stream.concat(Stream.of(of), below.stream()).toList() : below;
        return PageCursor.page(page, limit, view -> new PageCursor(String.valueOf(view.depth()), view.id()));
    }

    /**
     * The subtree as nested JSON, at most {@code maxDepth} levels down. Beyond {@code arbor.tree-max-nodes} (10,000)
     * accounts it answers 422 {@code TREE_TOO_LARGE}: such a subtree is read page by page from {@code descendants}.
     * With {@code asOf}, the subtree as it was then.
     */
    @GetMapping("/{id}/tree")
    TreeNode tree(@PathVariable UUID id, @RequestParam(defaultValue = DEEPEST) @Min(1) int maxDepth,
                  @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant asOf) {
        Scope caller = scope.current();
        return past.at(caller, asOf, id, visible -> tree(caller, id, maxDepth, visible));
    }

    private TreeNode tree(Scope caller, UUID id, int maxDepth, Predicate<AccountView> visible) {
        AccountView top = accounts.find(caller, id).filter(visible).orElseThrow(() -> notFound(id));
        List<AccountView> descendants = accounts.descendants(caller, top, maxDepth, null, null, 0, treeMaxNodes + 1).stream()
                                                .filter(visible).toList();
        if (descendants.size() > treeMaxNodes) {
            throw new RuleViolation(ErrorCode.TREE_TOO_LARGE, "The subtree has more than " + treeMaxNodes
                    + " accounts; read it page by page from /api/v1/accounts/" + id + "/descendants, or lower maxDepth.");
        }
        return TreeNode.of(top, descendants);
    }

    /** The path from the root down to the account's parent, root first; for a user, from its own account down. */
    @GetMapping("/{id}/ancestors")
    Page<AccountView> ancestors(@PathVariable UUID id) {
        Scope visible = scope.current();
        return new Page<>(accounts.ancestors(visible, account(visible, id)), null);
    }

    static RuleViolation notFound(UUID id) {
        return new RuleViolation(ErrorCode.NOT_FOUND, "No account with id " + id + ".");
    }
}
