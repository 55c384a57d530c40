package dev.arbor.api.account;

import org.axonframework.serialization.Revision;

import java.util.Map;
import java.util.UUID;

/**
 * An account came into being. {@code parentId} is null for a root (an organization), whose {@code rootId} is its
 * own id. {@code initialSeats} are the seats it starts with: granted by the platform for a root, handed over by the
 * parent for a child (the parent's side is {@link ChildAccountAdded}). A child's {@code limits} start as its parent's
 * default child limits.
 * <p>
 * Revision 2 renamed {@code seats} to {@code initialSeats}: an account's seats change all the time, this is only
 * where they start. Revision 1 events are upcast on reading ({@code AccountCreatedUpcaster}). Events written before
 * accounts had limits carry none: they read as no limits, as they meant. Those written before accounts had labels
 * carry no {@code label} and read as none, as they meant: a new field that may be null needs no new revision.
 */
@Revision("2")
public record AccountCreated(UUID accountId,
                             UUID rootId,
                             UUID parentId,
                             String name,
                             String description,
                             String externalId,
                             String label,
                             long initialSeats,
                             Map<String, Integer> limits) implements TreeEvent {

    public AccountCreated {
        limits = limits == null ? Map.of() : limits;
    }

    /** An account without a label. */
    public AccountCreated(UUID accountId, UUID rootId, UUID parentId, String name, String description,
                          String externalId, long initialSeats, Map<String, Integer> limits) {
        this(accountId, rootId, parentId, name, description, externalId, null, initialSeats, limits);
    }
}
