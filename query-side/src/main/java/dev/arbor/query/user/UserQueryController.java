package dev.arbor.query.user;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.Page;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.api.user.Permission;
import dev.arbor.api.user.UserStatus;
import dev.arbor.api.user.UserView;
import dev.arbor.query.access.QueryScope;
import dev.arbor.query.support.AccountScopedLists;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;
import java.util.UUID;

/** Users over HTTP, from {@code app_user}. */
@RestController
class UserQueryController {

    static final RowMapper<UserView> USER = (rs, row) -> new UserView(
            rs.getObject("id", UUID.class), rs.getString("email"), rs.getString("name"),
            rs.getObject("account_id", UUID.class), UserStatus.valueOf(rs.getString("status")),
            rs.getTimestamp("created_at").toInstant(),
            Permission.parse((String[]) rs.getArray("permissions").getArray()));

    private final AccountScopedLists lists;
    private final QueryScope scope;

    UserQueryController(AccountScopedLists lists, QueryScope scope) {
        this.lists = lists;
        this.scope = scope;
    }

    @GetMapping("/api/v1/users/{id}")
    UserView user(@PathVariable UUID id) {
        return lists.find(scope.current(), "app_user", USER, id)
                   .orElseThrow(() -> new RuleViolation(ErrorCode.NOT_FOUND, "No user with id " + id + "."));
    }

    /** The account's users in id order: active and deactivated, or those of one {@code status}. */
    @GetMapping("/api/v1/accounts/{accountId}/users")
    Page<UserView> usersOf(@PathVariable UUID accountId,
                           @RequestParam(required = false) UserStatus status,
                           @RequestParam(defaultValue = "50") @Min(1) @Max(1000) int limit,
                           @RequestParam(required = false) String cursor,
                           @RequestParam(defaultValue = "0") @Min(0) int offset) {
        return lists.page(scope.current(), "app_user", USER, UserView::id, accountId,
                          status == null ? Map.of() : Map.of("status", status.name()), limit, cursor, offset);
    }
}
