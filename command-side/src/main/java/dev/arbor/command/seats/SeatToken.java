package dev.arbor.command.seats;

import dev.arbor.api.account.IssueSeatToken;
import dev.arbor.api.account.SeatTokenIssued;
import dev.arbor.api.account.Seats;
import dev.arbor.api.account.SeatTokenRedeemed;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.UUID;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A seat token: the platform's way to add seats to a tree. Its id is the SHA-256 of the secret token, which is
 * shown once to the issuer and stored nowhere. It is the consistency boundary for "redeemed at most once".
 */
@Aggregate
public class SeatToken {

    @AggregateIdentifier
    private String id;
    private long seats;
    private boolean redeemed;

    protected SeatToken() {
        // for Axon
    }

    @CommandHandler
    public SeatToken(IssueSeatToken command) {
        if (command.seats() <= 0) {
            throw new RuleViolation(ErrorCode.VALIDATION_FAILED,
                                    "A seat token is worth at least one seat; got " + command.seats() + ".");
        }
        Seats.requireAtMost(command.seats(), "A seat token");
        apply(new SeatTokenIssued(command.tokenId(), command.seats()));
    }

    /** Marks the token redeemed by {@code accountId} and answers the seats it is worth. */
    public long redeem(UUID accountId) {
        if (redeemed) {
            throw new RuleViolation(ErrorCode.TOKEN_ALREADY_REDEEMED, "The seat token was already redeemed.");
        }
        apply(new SeatTokenRedeemed(id, accountId));
        return seats;
    }

    @EventSourcingHandler
    void on(SeatTokenIssued event) {
        id = event.tokenId();
        seats = event.seats();
    }

    @EventSourcingHandler
    void on(SeatTokenRedeemed event) {
        redeemed = true;
    }
}
