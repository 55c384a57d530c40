package dev.arbor.command.account;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.api.device.DeviceRegistered;
import dev.arbor.api.device.DeviceRemoved;
import dev.arbor.command.device.DeviceDirectory;
import org.axonframework.eventhandling.EventHandler;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The device directory for {@link AccountTreeFixture}, fed by the same events as the JDBC one and refusing what its
 * keys refuse: a device id or a serial registered twice.
 */
final class InMemoryDeviceDirectory implements DeviceDirectory {

    private final Map<UUID, UUID> accounts = new HashMap<>();
    private final Map<UUID, String> serials = new HashMap<>();

    @Override
    public Optional<UUID> accountOf(UUID deviceId) {
        return Optional.ofNullable(accounts.get(deviceId));
    }

    @EventHandler
    void on(DeviceRegistered event) {
        if (accounts.containsKey(event.deviceId()) || serials.containsValue(event.serial())) {
            throw new RuleViolation(ErrorCode.DUPLICATE_SERIAL,
                                    "Another device already has the serial '" + event.serial() + "'.");
        }
        accounts.put(event.deviceId(), event.accountId());
        serials.put(event.deviceId(), event.serial());
    }

    @EventHandler
    void on(DeviceRemoved event) {
        accounts.remove(event.deviceId());
        serials.remove(event.deviceId());
    }
}
