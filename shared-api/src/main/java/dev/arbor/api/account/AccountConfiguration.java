package dev.arbor.api.account;

import java.util.Map;

/**
 * An account's configuration: whether it is billed, free-form properties, and the limits its new children start
 * with.
 */
public record AccountConfiguration(boolean billable, Map<String, String> properties,
                                   Map<String, Integer> defaultChildLimits) {

    public static final AccountConfiguration DEFAULT = new AccountConfiguration(false, Map.of(), Map.of());

    public AccountConfiguration {
        properties = Map.copyOf(properties);
        defaultChildLimits = Map.copyOf(defaultChildLimits);
    }
}
