package dev.arbor.api.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** Reactivates a deactivated user. */
public record ReactivateUser(@TargetAggregateIdentifier UUID userId) {
}
