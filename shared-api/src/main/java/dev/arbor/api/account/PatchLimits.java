package dev.arbor.api.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Map;
import java.util.UUID;

/**
 * Changes some of an account's resource limits, as a JSON merge patch (RFC 7396) of the map: a key given with a
 * number is set, a key given as null is removed, a key left out is kept. The result is checked and recorded exactly
 * as a {@link ChangeLimits} of the whole map would be.
 */
public record PatchLimits(@TargetAggregateIdentifier UUID accountId, Map<String, Integer> patch) {
}
