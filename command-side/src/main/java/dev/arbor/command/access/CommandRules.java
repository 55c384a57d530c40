package dev.arbor.command.access;

import dev.arbor.api.account.ChangeLimits;
import dev.arbor.api.account.CreateChildAccount;
import dev.arbor.api.account.DeleteAccount;
import dev.arbor.api.account.MoveAccount;
import dev.arbor.api.account.MoveSeats;
import dev.arbor.api.account.PatchLimits;
import dev.arbor.api.account.ReactivateAccount;
import dev.arbor.api.account.RedeemSeatToken;
import dev.arbor.api.account.SetSeats;
import dev.arbor.api.account.SuspendAccount;
import dev.arbor.api.account.UnsuspendAccount;
import dev.arbor.api.account.UpdateAccountDetails;
import dev.arbor.api.account.UpdateConfiguration;
import dev.arbor.api.device.RegisterDevice;
import dev.arbor.api.device.RemoveDevice;
import dev.arbor.api.user.AddUser;
import dev.arbor.api.user.ChangePermissions;
import dev.arbor.api.user.ChangeUserAccount;
import dev.arbor.api.user.DeactivateUser;
import dev.arbor.api.user.ReactivateUser;
import dev.arbor.command.device.DeviceDirectory;
import dev.arbor.command.user.UserDirectory;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static dev.arbor.api.user.Permission.ACCOUNTS_ADD;
import static dev.arbor.api.user.Permission.ACCOUNTS_DELETE;
import static dev.arbor.api.user.Permission.ACCOUNTS_EDIT;
import static dev.arbor.api.user.Permission.DEVICES_MANAGE;
import static dev.arbor.api.user.Permission.LIMITS_MANAGE;
import static dev.arbor.api.user.Permission.SEATS_MANAGE;
import static dev.arbor.api.user.Permission.USERS_MANAGE;

/**
 * The {@link CommandRule} of every command a user may send, in one table. A command missing here (creating an
 * organization, issuing seat tokens, reporting usage, and any command added later until it is listed) is the admin's
 * alone. Usage is the platform's measurement of what an account used: a user who could report it could hide its own
 * use above a limit.
 */
@Component
class CommandRules {

    private final Map<Class<?>, Function<Object, CommandRule>> rules = new HashMap<>();
    private final UserDirectory users;
    private final DeviceDirectory devices;

    CommandRules(UserDirectory users, DeviceDirectory devices) {
        this.users = users;
        this.devices = devices;
        rule(CreateChildAccount.class, command -> CommandRule.on(ACCOUNTS_ADD, command.parentId()));
        // enabled is a suspension or its lifting, which a user does only to accounts below its own; a label is
        // unique among the children of the parent, which its clash (DUPLICATE_LABEL) would tell about
        rule(UpdateAccountDetails.class, command -> command.enabled() == null && command.label() == null
                                                    ? CommandRule.on(ACCOUNTS_EDIT, command.accountId())
                                                    : CommandRule.onOther(ACCOUNTS_EDIT, command.accountId()));
        rule(UpdateConfiguration.class, command -> CommandRule.on(ACCOUNTS_EDIT, command.accountId()));
        rule(SuspendAccount.class, command -> CommandRule.onOther(ACCOUNTS_EDIT, command.accountId()));
        rule(UnsuspendAccount.class, command -> CommandRule.onOther(ACCOUNTS_EDIT, command.accountId()));
        rule(MoveAccount.class, command -> CommandRule.onOther(ACCOUNTS_EDIT, command.accountId(),
                                                               command.newParentId()));
        rule(DeleteAccount.class, command -> CommandRule.onOther(ACCOUNTS_DELETE, command.accountId()));
        rule(ReactivateAccount.class, command -> CommandRule.onOther(ACCOUNTS_DELETE, command.accountId()));
        rule(MoveSeats.class, command -> CommandRule.on(SEATS_MANAGE, command.accountId(), command.toAccountId()));
        rule(SetSeats.class, command -> CommandRule.onOther(SEATS_MANAGE, command.accountId()));
        rule(RedeemSeatToken.class, command -> CommandRule.on(SEATS_MANAGE, command.accountId()));
        rule(ChangeLimits.class, command -> CommandRule.onOther(LIMITS_MANAGE, command.accountId()));
        rule(PatchLimits.class, command -> CommandRule.onOther(LIMITS_MANAGE, command.accountId()));
        rule(AddUser.class, command -> CommandRule.on(USERS_MANAGE, command.accountId()));
        rule(ChangeUserAccount.class, command -> CommandRule.on(USERS_MANAGE, accountOfUser(command.userId()),
                                                                command.accountId()));
        rule(DeactivateUser.class, command -> CommandRule.on(USERS_MANAGE, accountOfUser(command.userId())));
        rule(ReactivateUser.class, command -> CommandRule.on(USERS_MANAGE, accountOfUser(command.userId())));
        rule(ChangePermissions.class, command -> CommandRule.on(USERS_MANAGE, accountOfUser(command.userId())));
        rule(RegisterDevice.class, command -> CommandRule.on(DEVICES_MANAGE, command.accountId()));
        rule(RemoveDevice.class, command -> CommandRule.on(DEVICES_MANAGE, devices.accountOf(command.deviceId())
                                                                                  .orElse(null)));
    }

    CommandRule of(Object command) {
        return rules.getOrDefault(command.getClass(), unknown -> CommandRule.adminOnly()).apply(command);
    }

    /** The account of a user, or null (then the command answers 404 as for any id outside the caller's reach). */
    private UUID accountOfUser(UUID userId) {
        return users.find(userId).map(UserDirectory.Entry::accountId).orElse(null);
    }

    @SuppressWarnings("unchecked")
    private <T> void rule(Class<T> type, Function<T, CommandRule> rule) {
        rules.put(type, command -> rule.apply((T) command));
    }
}
