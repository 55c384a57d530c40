package dev.arbor.command.account;

import dev.arbor.api.account.CreateChildAccount;
import dev.arbor.api.account.CreateRootAccount;
import dev.arbor.api.common.CommandResult;
import dev.arbor.command.support.CommandDispatcher;
import dev.arbor.command.support.IdGenerator;
import jakarta.validation.Valid;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.UUID;

/** Account commands over HTTP. The created account is read back from the query side, where Location points. */
@RestController
@RequestMapping("/api/v1/accounts")
class AccountController {

    private final CommandDispatcher commands;
    private final IdGenerator ids;
    private final URI queryBaseUrl;

    AccountController(CommandDispatcher commands, IdGenerator ids,
                      @Value("${arbor.query-side-url}") URI queryBaseUrl) {
        this.commands = commands;
        this.ids = ids;
        this.queryBaseUrl = queryBaseUrl;
    }

    @PostMapping
    ResponseEntity<CommandResult> createRoot(@Valid @RequestBody NewAccount body) {
        return created(commands.dispatch(new CreateRootAccount(
                ids.next(), body.name(), body.description(), body.externalId(), body.seats())));
    }

    @PostMapping("/{parentId}/children")
    ResponseEntity<CommandResult> createChild(@PathVariable UUID parentId, @Valid @RequestBody NewAccount body) {
        return created(commands.dispatch(new CreateChildAccount(
                parentId, ids.next(), body.name(), body.description(), body.externalId(), body.seats())));
    }

    private ResponseEntity<CommandResult> created(CommandResult result) {
        return ResponseEntity.created(queryBaseUrl.resolve("/api/v1/accounts/" + result.id())).body(result);
    }
}
