package dev.arbor.api.account;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/** The account's configuration is now {@code configuration}. */
@Revision("1")
public record ConfigurationUpdated(UUID accountId, UUID rootId, AccountConfiguration configuration) implements TreeEvent {
}
