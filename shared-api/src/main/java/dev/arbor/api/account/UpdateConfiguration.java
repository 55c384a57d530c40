package dev.arbor.api.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Map;
import java.util.UUID;

/**
 * A JSON merge patch of an account's configuration: a null {@code billable} keeps the flag; in {@code properties}
 * and {@code defaultChildLimits} a key mapped to null is removed and any other key is set.
 */
public record UpdateConfiguration(@TargetAggregateIdentifier UUID accountId,
                                  Boolean billable,
                                  Map<String, String> properties,
                                  Map<String, Integer> defaultChildLimits) {
}
