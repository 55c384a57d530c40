package dev.arbor.api.account;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/** The account's side of a user becoming active in it (added, moved in or reactivated). */
@Revision("1")
public record UserAttached(UUID accountId, UUID rootId, UUID userId) implements TreeEvent {
}
