package dev.arbor.command.seats;

import dev.arbor.api.account.RedeemSeatToken;
import dev.arbor.command.account.Account;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

import java.util.UUID;

/**
 * Redeems a seat token into an account: the token is marked redeemed and the account gains its seats in one unit
 * of work. Two redemptions of one token both append to the token's stream, so only one can commit.
 */
@Component
public class SeatTokenRedemption {

    private final Repository<SeatToken> tokens;
    private final Repository<Account> accounts;

    public SeatTokenRedemption(Repository<SeatToken> tokens, Repository<Account> accounts) {
        this.tokens = tokens;
        this.accounts = accounts;
    }

    @CommandHandler
    public UUID handle(RedeemSeatToken command) {
        Aggregate<SeatToken> token = tokens.load(command.tokenId());
        Aggregate<Account> account = accounts.load(command.accountId().toString());
        long seats = token.invoke(seatToken -> seatToken.redeem(command.accountId()));
        account.execute(redeemer -> redeemer.grantSeats(command.tokenId(), seats));
        return command.accountId();
    }
}
