package dev.arbor.query.account;

import dev.arbor.api.account.AccountView;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

/** Account queries over HTTP, answered from the read model. */
@RestController
@RequestMapping("/api/v1/accounts")
class AccountQueryController {

    private final AccountViews accounts;

    AccountQueryController(AccountViews accounts) {
        this.accounts = accounts;
    }

    @GetMapping("/{id}")
    AccountView account(@PathVariable UUID id) {
        return accounts.find(id).orElseThrow(
                () -> new RuleViolation(ErrorCode.NOT_FOUND, "No account with id " + id + "."));
    }
}
