package dev.arbor.api.account;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/**
 * An account's name, description, external id or label changed; the event carries the new values. Events written
 * before accounts had labels carry no {@code label} and read as none, which is what the account had.
 */
@Revision("1")
public record AccountDetailsUpdated(UUID accountId, UUID rootId, String name, String description, String externalId,
                                    String label) implements TreeEvent {

    /** Details of an account without a label. */
    public AccountDetailsUpdated(UUID accountId, UUID rootId, String name, String description, String externalId) {
        this(accountId, rootId, name, description, externalId, null);
    }
}
