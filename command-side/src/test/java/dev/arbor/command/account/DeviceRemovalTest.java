package dev.arbor.command.account;

import dev.arbor.api.account.AccountCreated;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.device.RemoveDevice;
import dev.arbor.command.device.DeviceCommandHandler;
import dev.arbor.command.device.DeviceDirectory;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.arbor.command.account.TreeEvents.CHILD;
import static dev.arbor.command.account.TreeEvents.ROOT;
import static dev.arbor.command.account.TreeEvents.deviceRegistered;
import static dev.arbor.command.support.RuleViolationMatcher.violates;

/**
 * The device directory names the account that holds a device, and is asked again once that account is loaded: a
 * removal of the same device that committed in between is seen there, and this one is refused.
 */
class DeviceRemovalTest {

    private static final UUID DEVICE = UUID.fromString("0191e5b2-0000-7000-8000-0000000000d1");

    @Test
    void refusesADeviceThatLeftTheAccountWhileItWasLoaded() {
        Iterator<Optional<UUID>> answers = List.of(Optional.of(CHILD), Optional.<UUID>empty()).iterator();
        DeviceDirectory removedInBetween = deviceId -> answers.next();
        AggregateTestFixture<Account> fixture = new AggregateTestFixture<>(Account.class);
        fixture.registerAnnotatedCommandHandler(new DeviceCommandHandler(
                fixture.getRepository(), new InMemoryAccountDirectory(), removedInBetween));

        fixture.given(new AccountCreated(CHILD, ROOT, ROOT, "Child", null, null, 1, Map.of()),
                      deviceRegistered(CHILD, DEVICE))
               .when(new RemoveDevice(DEVICE))
               .expectException(violates(ErrorCode.NOT_FOUND))
               .expectExceptionMessage("No device " + DEVICE + " in account " + CHILD + ".")
               .expectNoEvents();
    }
}
