package dev.arbor.api.device;

import dev.arbor.api.account.TreeEvent;
import org.axonframework.serialization.Revision;

import java.util.UUID;

/** The device was removed; its seat is free again. */
@Revision("1")
public record DeviceRemoved(UUID accountId, UUID rootId, UUID deviceId) implements TreeEvent {
}
