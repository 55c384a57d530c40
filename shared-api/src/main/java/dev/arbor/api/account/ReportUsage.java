package dev.arbor.api.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Map;
import java.util.UUID;

/**
 * Reports what the account uses now, counter by counter ({@code connections}, {@code volume}, ...), as the platform
 * measured it: the whole set, replacing the last report. A counter above the account's limit of the same name is
 * shown as over the limit, not refused.
 */
public record ReportUsage(@TargetAggregateIdentifier UUID accountId, Map<String, Integer> usage) {
}
