package dev.arbor.api.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Map;
import java.util.UUID;

/** Replaces an account's resource limits. */
public record ChangeLimits(@TargetAggregateIdentifier UUID accountId, Map<String, Integer> limits) {
}
