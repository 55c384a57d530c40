package dev.arbor.api.account;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/** An account's name, description or external id changed; the event carries the new values. */
@Revision("1")
public record AccountDetailsUpdated(UUID accountId, UUID rootId, String name, String description, String externalId) implements TreeEvent {
}
