package dev.arbor.api.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** Creates {@code childId} under {@code parentId}, taking {@code seats} from the parent's free seats. */
public record CreateChildAccount(@TargetAggregateIdentifier UUID parentId,
                                 UUID childId,
                                 String name,
                                 String description,
                                 String externalId,
                                 long seats) {
}
