package dev.arbor.api.account;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/** The account's side of a user no longer active in it (moved out or deactivated). */
@Revision("1")
public record UserDetached(UUID accountId, UUID rootId, UUID userId) implements TreeEvent {
}
