package dev.arbor.api.device;

import dev.arbor.api.account.TreeEvent;
import org.axonframework.serialization.Revision;

import java.util.UUID;

/** A device was registered in {@code accountId} and takes one of its seats. */
@Revision("1")
public record DeviceRegistered(UUID accountId, UUID rootId, UUID deviceId, String serial, String name) implements TreeEvent {
}
