package dev.arbor.query.user;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.api.user.CallerView;
import dev.arbor.api.user.Permission;
import dev.arbor.api.user.UserView;
import dev.arbor.platform.security.Caller;
import dev.arbor.query.access.QueryScope;
import dev.arbor.query.access.Scope;
import dev.arbor.query.account.AccountViews;
import dev.arbor.query.support.AccountScopedLists;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.EnumSet;

/**
 * {@code GET /api/v1/me}: the calling user, its account and its permissions, for a client that knows only its token.
 * Both rows are read through the caller's own scope, like any other read: its account is the scope's top.
 */
@RestController
class MeController {

    private final AccountScopedLists lists;
    private final AccountViews accounts;
    private final QueryScope scope;

    MeController(AccountScopedLists lists, AccountViews accounts, QueryScope scope) {
        this.lists = lists;
        this.accounts = accounts;
        this.scope = scope;
    }

    @GetMapping("/api/v1/me")
    CallerView me() {
        Scope visible = scope.current();
        if (!(Caller.current() instanceof Caller.User caller)) {
            return new CallerView(true, null, null, EnumSet.allOf(Permission.class));
        }
        // the scope was made from this user's row, so both are there; a user moved in between is not found, as on
        // any read that races a change to the caller
        UserView user = lists.find(visible, "app_user", UserQueryController.USER, caller.userId())
                             .orElseThrow(MeController::notFound);
        return new CallerView(false, user, accounts.find(visible, user.accountId()).orElseThrow(MeController::notFound),
                              user.permissions());
    }

    private static RuleViolation notFound() {
        return new RuleViolation(ErrorCode.NOT_FOUND, "The caller's user or account is not in the read model.");
    }
}
