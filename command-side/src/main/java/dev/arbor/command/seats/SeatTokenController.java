package dev.arbor.command.seats;

import dev.arbor.api.account.IssueSeatToken;
import dev.arbor.api.account.RedeemSeatToken;
import dev.arbor.api.common.CommandResult;
import dev.arbor.command.support.CommandDispatcher;
import dev.arbor.platform.web.PlainText;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

/** Issuing seat tokens (the only way seats enter an existing tree) and redeeming them into an account. */
@RestController
class SeatTokenController {

    private final CommandDispatcher commands;

    SeatTokenController(CommandDispatcher commands) {
        this.commands = commands;
    }

    record NewSeatToken(@NotNull @Positive Long seats) {
    }

    /** The secret {@code token} appears in this answer only; Arbor keeps its hash. */
    record IssuedSeatToken(String token, long seats) {
    }

    record Redemption(@NotBlank @Size(max = 200) @PlainText String token) {
    }

    /** The secret is in this answer only: no cache keeps it, nor does Arbor (see the idempotency filter). */
    @ResponseStatus(HttpStatus.CREATED) // what the ResponseEntity sets, said where springdoc reads it
    @PostMapping("/api/v1/seat-tokens")
    ResponseEntity<IssuedSeatToken> issue(@Valid @RequestBody NewSeatToken body) {
        String secret = SeatTokenSecrets.newSecret();
        commands.dispatch(new IssueSeatToken(SeatTokenSecrets.idOf(secret), body.seats()));
        return ResponseEntity.status(HttpStatus.CREATED).cacheControl(CacheControl.noStore())
                             .body(new IssuedSeatToken(secret, body.seats()));
    }

    @PostMapping("/api/v1/accounts/{id}/seat-tokens/redeem")
    CommandResult redeem(@PathVariable UUID id, @Valid @RequestBody Redemption body) {
        return commands.dispatch(new RedeemSeatToken(SeatTokenSecrets.idOf(body.token()), id));
    }
}
