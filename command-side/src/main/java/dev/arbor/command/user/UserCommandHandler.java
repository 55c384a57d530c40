package dev.arbor.command.user;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.api.user.AddUser;
import dev.arbor.api.user.ChangeUserAccount;
import dev.arbor.api.user.DeactivateUser;
import dev.arbor.api.user.ReactivateUser;
import dev.arbor.api.user.UserAdded;
import dev.arbor.command.account.Account;
import dev.arbor.command.account.AccountDirectory;
import dev.arbor.command.account.AccountPair;
import dev.arbor.command.support.CommandCaller;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

import java.util.UUID;
import java.util.function.Function;

/**
 * User commands, each of which also touches the account(s) concerned: the account counts its active users, so a
 * user joining and the account's deletion cannot interleave. Whether a user is active in an account is the user
 * aggregate's (its account and state), loaded in the same unit of work. The user is loaded first, then accounts in
 * id order.
 */
@Component
public class UserCommandHandler {

    private final Repository<User> users;
    private final Repository<Account> accounts;
    private final AccountDirectory directory;

    public UserCommandHandler(Repository<User> users, Repository<Account> accounts, AccountDirectory directory) {
        this.users = users;
        this.accounts = accounts;
        this.directory = directory;
    }

    @CommandHandler
    public UUID handle(AddUser command) throws Exception {
        UserEmails.requireStorable(command.email());
        AccountDirectory.Node account = directory.require(command.accountId());
        UserAdded added = accounts.load(command.accountId().toString())
                                  .invoke(joined -> joined.addUser(command, account));
        users.newInstance(() -> new User(added));
        return command.userId();
    }

    @CommandHandler
    public UUID handle(ChangeUserAccount command, MetaData metaData) {
        Aggregate<User> user = users.load(command.userId().toString());
        UUID from = user.invoke(User::accountId);
        if (from.equals(command.accountId())) {
            return command.userId();
        }
        AccountDirectory.Node target = directory.require(command.accountId());
        if (!target.rootId().equals(directory.require(from).rootId())) {
            throw new RuleViolation(ErrorCode.DIFFERENT_ROOT,
                                    "Account " + command.accountId() + " belongs to another organization.");
        }
        directory.require(from).requireLeavableBy(CommandCaller.of(metaData), "User " + command.userId());
        AccountPair pair = AccountPair.load(accounts, from, command.accountId());
        Account.moveUser(pair.of(from), pair.of(command.accountId()), state(user), target);
        user.execute(moved -> moved.changeAccount(command.accountId(), CommandCaller.of(metaData)));
        return command.userId();
    }

    @CommandHandler
    public UUID handle(DeactivateUser command) {
        Aggregate<User> user = users.load(command.userId().toString());
        if (user.invoke(User::isActive)) {
            Account.deactivateUser(accounts.load(user.invoke(User::accountId).toString()),
                                   UserAccountMembers.member(user));
        }
        return command.userId();
    }

    @CommandHandler
    public UUID handle(ReactivateUser command, MetaData metaData) {
        Aggregate<User> user = users.load(command.userId().toString());
        if (!user.invoke(User::isActive)) {
            UUID accountId = user.invoke(User::accountId);
            AccountDirectory.Node account = directory.require(accountId);
            accounts.load(accountId.toString())
                    .execute(joined -> joined.readmitUser(state(user), account));
            user.execute(reactivated -> reactivated.reactivate(CommandCaller.of(metaData)));
        }
        return command.userId();
    }

    private static User state(Aggregate<User> user) {
        return user.invoke(Function.identity());
    }
}
