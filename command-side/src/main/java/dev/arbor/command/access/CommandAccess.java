package dev.arbor.command.access;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.EventMetadata;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.api.user.ChangePermissions;
import dev.arbor.command.account.AccountDirectory;
import dev.arbor.api.user.Permission;
import dev.arbor.command.support.CallerStanding;
import dev.arbor.command.support.CommandCaller;
import dev.arbor.command.support.CommandMetadata;
import dev.arbor.command.support.CommandResults;
import dev.arbor.api.account.SeatTokenRedeemed;
import dev.arbor.api.user.PermissionsChanged;
import dev.arbor.api.user.UserAccountChanged;
import dev.arbor.api.user.UserAdded;
import dev.arbor.api.user.UserDeactivated;
import dev.arbor.api.user.UserReactivated;
import dev.arbor.command.account.Account;
import org.axonframework.eventhandling.DomainEventMessage;
import dev.arbor.platform.security.Caller;
import dev.arbor.command.user.UserDirectory;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Authorizes every command of an Arbor user before it is handled, inside the command's transaction and on
 * authoritative state: the user and account lookups written with the events. In order: the user must be active and
 * its account not (effectively) suspended; every account the command touches must lie in the user's subtree (else
 * 404, as if it did not exist); the user must hold the command's permission; and some changes are not for the
 * user's own account. The platform admin may do anything. Before the command commits, the accounts its events were
 * actually written to are checked against the user's subtree once more ({@link #requireWrittenWithin}). The caller's
 * permissions go on to the rules that depend on them in the command's metadata ({@link CommandCaller}).
 */
@Component
class CommandAccess implements CallerStanding {

    /** The aggregate type Axon records on an account's events. */
    private static final String ACCOUNT = Account.class.getSimpleName();

    private final CommandRules rules;
    private final UserDirectory users;
    private final AccountDirectory accounts;

    CommandAccess(CommandBus commandBus, CommandRules rules, UserDirectory users, AccountDirectory accounts) {
        this.rules = rules;
        this.users = users;
        this.accounts = accounts;
        // Registered here rather than as an interceptor bean, which Axon's Spring support would register a second time.
        commandBus.registerHandlerInterceptor((MessageHandlerInterceptor<CommandMessage<?>>) this::authorize);
    }

    @SuppressWarnings("unchecked")
    private Object authorize(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain)
            throws Exception {
        CommandMessage<?> command = unitOfWork.getMessage();
        Object role = command.getMetaData().get(CommandMetadata.CALLER_ROLE);
        if (Caller.USER.equals(role)) {
            UserDirectory.Entry user = authorize(
                    UUID.fromString(String.valueOf(command.getMetaData().get(EventMetadata.ACTOR))),
                    command.getPayload());
            // the rules that depend on the caller (CommandCaller) read what it holds from the lookup just read,
            // in this transaction, never from the request
            String held = String.join(",", Permission.names(user.permissions()));
            ((UnitOfWork<CommandMessage<?>>) unitOfWork).transformMessage(
                    message -> message.andMetaData(Map.of(CommandCaller.PERMISSIONS, held)));
            Object result = chain.proceed();
            // registered once the handler has run, so after the event bus's own step: the lookups then include
            // what this command created (a new child) when the written accounts are checked
            unitOfWork.onPrepareCommit(committing -> requireWrittenWithin(
                    user.accountId(), CommandResults.appendedIn(committing)));
            return result;
        } else if (!Caller.ADMIN.equals(role)) {
            // only the two roles a token maps to: a command naming none, or another, is nobody's and does nothing
            throw new RuleViolation(ErrorCode.PERMISSION_DENIED, "The command does not say who sent it.");
        }
        return chain.proceed();
    }

    @Override
    public void requireActive(Caller caller) {
        if (caller instanceof Caller.User user) {
            activeUser(user.userId());
        }
    }

    private UserDirectory.Entry activeUser(UUID userId) {
        UserDirectory.Entry user = users.find(userId).orElseThrow(
                () -> new RuleViolation(ErrorCode.PERMISSION_DENIED, "User " + userId + " is not known to Arbor."));
        if (!user.active()) {
            throw new RuleViolation(ErrorCode.USER_DEACTIVATED, "User " + userId + " is deactivated.");
        }
        AccountDirectory.Node home = accounts.find(user.accountId()).orElseThrow();
        if (home.suspended()) {
            throw new RuleViolation(ErrorCode.ACCOUNT_SUSPENDED,
                                    "Your account, or an account above it, is suspended.");
        }
        return user;
    }

    private UserDirectory.Entry authorize(UUID userId, Object command) {
        UserDirectory.Entry user = activeUser(userId);
        CommandRule rule = rules.of(command);
        if (rule.permission() == null) {
            throw new RuleViolation(ErrorCode.PERMISSION_DENIED, "Only the platform admin may do this.");
        }
        for (UUID account : rule.accounts()) {
            if (account == null || accounts.find(account).filter(node -> node.isWithinSubtreeOf(user.accountId()))
                                           .isEmpty()) {
                // the same words for an id that names nothing and one outside the subtree, which must not be told apart
                throw new RuleViolation(ErrorCode.NOT_FOUND, "No resource with that id.");
            }
        }
        if (!user.permissions().contains(rule.permission())) {
            throw new RuleViolation(ErrorCode.PERMISSION_DENIED, "This needs the permission " + rule.permission() + ".");
        }
        if (rule.notOwn().contains(user.accountId())) {
            throw new RuleViolation(ErrorCode.OWN_ACCOUNT, "A user cannot do this to its own account; "
                    + "a user of an account above it, or the platform admin, can.");
        }
        if (command instanceof ChangePermissions change) {
            requireNoEscalation(user, change);
        }
        return user;
    }

    /**
     * The check above goes by the ids the command names, resolved through the lookups before the handler ran. This
     * one goes by what the handler actually wrote: every account an appended event is on, or (for a user's or a seat
     * token's event) names, must lie in the user's subtree, or the whole command is undone with the same 404. So a
     * handler acting on an account other than the one authorized (a lookup that was stale, a user moved meanwhile, a
     * handler added later) cannot write outside the caller's reach.
     */
    private void requireWrittenWithin(UUID home, List<DomainEventMessage<?>> appended) {
        Set<UUID> written = new HashSet<>();
        appended.forEach(event -> written.addAll(accountsOf(event)));
        for (UUID account : written) {
            if (account == null || accounts.find(account).filter(node -> node.isWithinSubtreeOf(home)).isEmpty()) {
                throw new RuleViolation(ErrorCode.NOT_FOUND, "No resource with that id.");
            }
        }
    }

    /** The accounts an event concerns; a null for an event of another aggregate this does not know (refused). */
    private static List<UUID> accountsOf(DomainEventMessage<?> event) {
        if (ACCOUNT.equals(event.getType())) {
            return List.of(UUID.fromString(event.getAggregateIdentifier()));
        }
        Object payload = event.getPayload();
        if (payload instanceof UserAdded added) {
            return List.of(added.accountId());
        } else if (payload instanceof UserAccountChanged changed) {
            return List.of(changed.fromAccountId(), changed.toAccountId());
        } else if (payload instanceof UserDeactivated deactivated) {
            return List.of(deactivated.accountId());
        } else if (payload instanceof UserReactivated reactivated) {
            return List.of(reactivated.accountId());
        } else if (payload instanceof PermissionsChanged changed) {
            return List.of(changed.accountId());
        } else if (payload instanceof SeatTokenRedeemed redeemed) {
            return List.of(redeemed.accountId());
        }
        return Collections.singletonList(null);
    }

    /** Users manage others' permissions, and only with permissions they hold themselves. */
    private static void requireNoEscalation(UserDirectory.Entry user, ChangePermissions change) {
        if (change.userId().equals(user.id())) {
            throw new RuleViolation(ErrorCode.PERMISSION_DENIED, "A user cannot change its own permissions.");
        }
        if (change.grant() != null && !user.permissions().containsAll(change.grant())) {
            throw new RuleViolation(ErrorCode.PERMISSION_DENIED, "A user can grant only permissions it holds.");
        }
    }
}
