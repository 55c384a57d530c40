package dev.arbor.command.device;

import dev.arbor.api.device.RegisterDevice;
import dev.arbor.api.device.RemoveDevice;
import dev.arbor.command.account.Account;
import dev.arbor.command.account.AccountDirectory;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

import java.util.UUID;

/**
 * Devices are counted in their account's aggregate, where each takes a seat: registering one and moving seats away
 * contend on the same aggregate. Which account holds a device is the device directory's, written from the account's
 * device events in their transactions. This handler supplies what the account cannot know itself: its place in the
 * tree, and for removal, whether it holds the device.
 */
@Component
public class DeviceCommandHandler {

    private final Repository<Account> accounts;
    private final AccountDirectory accountDirectory;
    private final DeviceDirectory deviceDirectory;

    public DeviceCommandHandler(Repository<Account> accounts, AccountDirectory accountDirectory,
                                DeviceDirectory deviceDirectory) {
        this.accounts = accounts;
        this.accountDirectory = accountDirectory;
        this.deviceDirectory = deviceDirectory;
    }

    @CommandHandler
    public UUID handle(RegisterDevice command) {
        AccountDirectory.Node account = accountDirectory.find(command.accountId()).orElseThrow(
                () -> new AggregateNotFoundException(command.accountId().toString(), "No account"));
        accounts.load(command.accountId().toString())
                .execute(holder -> holder.registerDevice(command, account));
        return command.accountId();
    }

    /**
     * The directory names the account to load, and is asked again once the account is loaded: a removal of the
     * same device committed after that second read appends to this account's stream too, so one of the two
     * conflicts; one committed before it is seen, and this removal is refused.
     */
    @CommandHandler
    public UUID handle(RemoveDevice command) {
        UUID accountId = deviceDirectory.accountOf(command.deviceId()).orElseThrow(
                () -> new AggregateNotFoundException(command.deviceId().toString(), "No device"));
        Aggregate<Account> holder = accounts.load(accountId.toString());
        boolean heldThere = deviceDirectory.accountOf(command.deviceId()).filter(accountId::equals).isPresent();
        holder.execute(account -> account.removeDevice(command.deviceId(), heldThere));
        return accountId;
    }
}
