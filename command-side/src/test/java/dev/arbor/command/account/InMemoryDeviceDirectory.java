package dev.arbor.command.account;

import dev.arbor.api.device.DeviceRegistered;
import dev.arbor.api.device.DeviceRemoved;
import dev.arbor.command.device.DeviceDirectory;
import org.axonframework.eventhandling.EventHandler;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The device directory for {@link AccountTreeFixture}, fed by the same events as the JDBC one. */
final class InMemoryDeviceDirectory implements DeviceDirectory {

    private final Map<UUID, UUID> accounts = new HashMap<>();

    @Override
    public Optional<UUID> accountOf(UUID deviceId) {
        return Optional.ofNullable(accounts.get(deviceId));
    }

    @EventHandler
    void on(DeviceRegistered event) {
        accounts.put(event.deviceId(), event.accountId());
    }

    @EventHandler
    void on(DeviceRemoved event) {
        accounts.remove(event.deviceId());
    }
}
