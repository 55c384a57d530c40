package dev.arbor.command.device;

import java.util.Optional;
import java.util.UUID;

/** Which account holds a device, for commands that name only the device. */
public interface DeviceDirectory {

    Optional<UUID> accountOf(UUID deviceId);
}
