package dev.arbor.api.device;

import java.util.UUID;

/** Removes a device from its account, freeing its seat. */
public record RemoveDevice(UUID deviceId) {
}
