package dev.arbor.command.user;

import dev.arbor.api.common.CommandResult;
import dev.arbor.api.user.AddUser;
import dev.arbor.api.user.ChangePermissions;
import dev.arbor.api.user.ChangeUserAccount;
import dev.arbor.api.user.DeactivateUser;
import dev.arbor.api.user.Permission;
import dev.arbor.api.user.ReactivateUser;
import dev.arbor.command.support.CommandDispatcher;
import dev.arbor.command.support.IdGenerator;
import dev.arbor.command.support.QuerySideLinks;
import dev.arbor.platform.web.PlainText;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.Set;
import java.util.UUID;

/** User commands over HTTP. */
@RestController
class UserController {

    private final CommandDispatcher commands;
    private final IdGenerator ids;
    private final QuerySideLinks links;

    UserController(CommandDispatcher commands, IdGenerator ids, QuerySideLinks links) {
        this.commands = commands;
        this.ids = ids;
        this.links = links;
    }

    record NewUser(@NotBlank @Email @Size(max = 320) @PlainText String email,
                   @NotBlank @Size(max = 200) @PlainText String name) {

        NewUser {
            email = email == null ? null : email.strip();
            name = name == null ? null : name.strip();
        }
    }

    record AccountChange(@NotNull UUID accountId) {
    }

    @ResponseStatus(HttpStatus.CREATED) // what the ResponseEntity sets, said where springdoc reads it
    @PostMapping("/api/v1/accounts/{accountId}/users")
    ResponseEntity<CommandResult> add(@PathVariable UUID accountId, @Valid @RequestBody NewUser body) {
        CommandResult result = commands.dispatch(new AddUser(ids.next(), accountId, body.email(), body.name()));
        return links.created("/api/v1/users/" + result.id(), result);
    }

    @PostMapping("/api/v1/users/{userId}/change-account")
    CommandResult changeAccount(@PathVariable UUID userId, @Valid @RequestBody AccountChange body) {
        return commands.dispatch(new ChangeUserAccount(userId, body.accountId()));
    }

    @PostMapping("/api/v1/users/{userId}/deactivate")
    CommandResult deactivate(@PathVariable UUID userId) {
        return commands.dispatch(new DeactivateUser(userId));
    }

    @PostMapping("/api/v1/users/{userId}/reactivate")
    CommandResult reactivate(@PathVariable UUID userId) {
        return commands.dispatch(new ReactivateUser(userId));
    }

    /** {@code grant} and {@code revoke} name permissions; either may be left out. */
    record PermissionChange(Set<Permission> grant, Set<Permission> revoke) {
    }

    @PostMapping("/api/v1/users/{userId}/permissions")
    CommandResult changePermissions(@PathVariable UUID userId, @RequestBody PermissionChange body) {
        return commands.dispatch(new ChangePermissions(userId, body.grant(), body.revoke()));
    }
}
