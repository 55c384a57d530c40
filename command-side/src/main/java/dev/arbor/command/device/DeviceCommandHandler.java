package dev.arbor.command.device;

import dev.arbor.api.device.RegisterDevice;
import dev.arbor.api.device.RemoveDevice;
import dev.arbor.command.account.Account;
import dev.arbor.command.account.AccountDirectory;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

import java.util.UUID;

/**
 * Devices live in their account's aggregate, where each takes a seat: registering one and moving seats away contend
 * on the same aggregate. This handler supplies what the account cannot know itself: its place in the tree, and for
 * removal, which account holds the device.
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

    @CommandHandler
    public UUID handle(RemoveDevice command) {
        UUID accountId = deviceDirectory.accountOf(command.deviceId()).orElseThrow(
                () -> new AggregateNotFoundException(command.deviceId().toString(), "No device"));
        accounts.load(accountId.toString()).execute(holder -> holder.removeDevice(command.deviceId()));
        return accountId;
    }
}
