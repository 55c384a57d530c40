package dev.arbor.api.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Set;
import java.util.UUID;

/** Grants and revokes a user's permissions; granting one it has, or revoking one it lacks, changes nothing. */
public record ChangePermissions(@TargetAggregateIdentifier UUID userId, Set<Permission> grant,
                                Set<Permission> revoke) {
}
