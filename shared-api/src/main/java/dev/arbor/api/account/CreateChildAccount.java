package dev.arbor.api.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/**
 * Creates {@code childId} under {@code parentId}, taking {@code seats} from the parent's free seats, with an optional
 * {@code label} ({@link AccountLabel}) that no other live child of the parent has. Unless {@code enabled}, the child
 * is created suspended, with the event a suspension right after its creation would record.
 */
public record CreateChildAccount(@TargetAggregateIdentifier UUID parentId,
                                 UUID childId,
                                 String name,
                                 String description,
                                 String externalId,
                                 String label,
                                 long seats,
                                 boolean enabled) {

    /** A child without a label that starts active. */
    public CreateChildAccount(UUID parentId, UUID childId, String name, String description, String externalId,
                              long seats) {
        this(parentId, childId, name, description, externalId, null, seats, true);
    }
}
