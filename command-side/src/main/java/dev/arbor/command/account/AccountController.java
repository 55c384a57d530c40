package dev.arbor.command.account;

import dev.arbor.api.account.ChangeLimits;
import dev.arbor.api.account.CreateChildAccount;
import dev.arbor.api.account.CreateRootAccount;
import dev.arbor.api.account.DeleteAccount;
import dev.arbor.api.account.MoveAccount;
import dev.arbor.api.account.MoveSeats;
import dev.arbor.api.account.PatchLimits;
import dev.arbor.api.account.ReactivateAccount;
import dev.arbor.api.account.ReportUsage;
import dev.arbor.api.account.SetSeats;
import dev.arbor.api.account.SuspendAccount;
import dev.arbor.api.account.UnsuspendAccount;
import dev.arbor.api.account.UpdateAccountDetails;
import dev.arbor.api.account.UpdateConfiguration;
import dev.arbor.api.common.CommandResult;
import dev.arbor.command.support.CommandDispatcher;
import dev.arbor.command.support.IdGenerator;
import dev.arbor.command.support.QuerySideLinks;
import dev.arbor.platform.web.PlainText;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import org.springframework.http.MediaType;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;
import java.util.UUID;

/**
 * Account commands over HTTP: each endpoint translates the request into one command and answers its
 * {@code {id, version, position}}. Created accounts are read from the query side, where {@code Location} points.
 */
@RestController
@RequestMapping("/api/v1/accounts")
class AccountController {

    static final String MERGE_PATCH = "application/merge-patch+json";
    private static final String DEACTIVATE_USERS = "deactivate";

    private final CommandDispatcher commands;
    private final IdGenerator ids;
    private final QuerySideLinks links;

    AccountController(CommandDispatcher commands, IdGenerator ids, QuerySideLinks links) {
        this.commands = commands;
        this.ids = ids;
        this.links = links;
    }

    @ResponseStatus(HttpStatus.CREATED) // what the ResponseEntity sets, said where springdoc reads it
    @PostMapping
    ResponseEntity<CommandResult> createRoot(@Valid @RequestBody NewAccount body) {
        return created(commands.dispatch(new CreateRootAccount(
                ids.next(), body.name(), body.description(), body.externalId(), body.label(), body.seats(),
                body.startsEnabled())));
    }

    @ResponseStatus(HttpStatus.CREATED) // what the ResponseEntity sets, said where springdoc reads it
    @PostMapping("/{parentId}/children")
    ResponseEntity<CommandResult> createChild(@PathVariable UUID parentId, @Valid @RequestBody NewAccount body) {
        return created(commands.dispatch(new CreateChildAccount(
                parentId, ids.next(), body.name(), body.description(), body.externalId(), body.label(), body.seats(),
                body.startsEnabled())));
    }

    @PatchMapping("/{id}")
    CommandResult updateDetails(@PathVariable UUID id, @Valid @RequestBody AccountRequests.DetailsPatch body) {
        return commands.dispatch(new UpdateAccountDetails(id, body.name(),
                                                          AccountRequests.DetailsPatch.clearing(body.description()),
                                                          AccountRequests.DetailsPatch.clearing(body.externalId()),
                                                          AccountRequests.DetailsPatch.clearing(body.label()),
                                                          body.enabled()));
    }

    @PostMapping("/{id}/move")
    CommandResult move(@PathVariable UUID id, @Valid @RequestBody AccountRequests.Move body) {
        return commands.dispatch(new MoveAccount(id, body.newParentId()));
    }

    @PostMapping("/{id}/seat-transfers")
    CommandResult moveSeats(@PathVariable UUID id, @Valid @RequestBody AccountRequests.SeatTransfer body) {
        return commands.dispatch(new MoveSeats(id, body.to(), body.seats()));
    }

    @PutMapping("/{id}/seats")
    CommandResult setSeats(@PathVariable UUID id, @Valid @RequestBody AccountRequests.SeatTotal body) {
        return commands.dispatch(new SetSeats(id, body.seats()));
    }

    @PostMapping("/{id}/suspend")
    CommandResult suspend(@PathVariable UUID id,
                          @Valid @RequestBody(required = false) AccountRequests.Suspension body) {
        return commands.dispatch(new SuspendAccount(id, body == null ? null : body.reason()));
    }

    @PostMapping("/{id}/unsuspend")
    CommandResult unsuspend(@PathVariable UUID id) {
        return commands.dispatch(new UnsuspendAccount(id));
    }

    /** {@code ?users=deactivate} deactivates the account's active users in the same command; without, they refuse it. */
    @DeleteMapping("/{id}")
    CommandResult delete(@PathVariable UUID id,
                         @RequestParam(required = false) @Pattern(regexp = DEACTIVATE_USERS) String users) {
        return commands.dispatch(new DeleteAccount(id, DEACTIVATE_USERS.equals(users)));
    }

    @PostMapping("/{id}/reactivate")
    CommandResult reactivate(@PathVariable UUID id,
                             @Valid @RequestBody(required = false) AccountRequests.Reactivation body) {
        long seats = body == null || body.seats() == null ? 0 : body.seats();
        return commands.dispatch(new ReactivateAccount(id, seats));
    }

    @PutMapping("/{id}/limits")
    CommandResult changeLimits(@PathVariable UUID id,
                               @RequestBody Map<@Size(min = 1, max = 64) @PlainText String, @NotNull @PositiveOrZero Integer> limits) {
        return commands.dispatch(new ChangeLimits(id, limits));
    }

    /**
     * JSON merge patch of the limits (RFC 7396): a key given with a number is set, a key given as null is removed,
     * the others are kept. The resulting map follows the rules of {@code PUT}, and changes nothing when it is the
     * same.
     */
    @PatchMapping(path = "/{id}/limits", consumes = {MERGE_PATCH, MediaType.APPLICATION_JSON_VALUE})
    CommandResult patchLimits(@PathVariable UUID id,
                              @RequestBody Map<@Size(min = 1, max = 64) @PlainText String, @PositiveOrZero Integer> patch) {
        return commands.dispatch(new PatchLimits(id, patch));
    }

    /**
     * The account's usage counters as the platform measured them, replacing the last report: the platform admin's
     * (it is the platform's measurement; a user who could set it could hide its own over-limit use).
     */
    @PutMapping("/{id}/usage")
    CommandResult reportUsage(@PathVariable UUID id,
                              @RequestBody Map<@Size(min = 1, max = 64) @PlainText String, @NotNull @PositiveOrZero Integer> usage) {
        return commands.dispatch(new ReportUsage(id, usage));
    }

    @PatchMapping("/{id}/config")
    CommandResult updateConfiguration(@PathVariable UUID id,
                                      @Valid @RequestBody AccountRequests.ConfigurationPatch body) {
        return commands.dispatch(new UpdateConfiguration(id, body.billable(), body.properties(),
                                                         body.defaultChildLimits()));
    }

    private ResponseEntity<CommandResult> created(CommandResult result) {
        return links.created("/api/v1/accounts/" + result.id(), result);
    }
}
