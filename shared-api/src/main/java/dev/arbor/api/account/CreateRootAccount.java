package dev.arbor.api.account;

import java.util.UUID;

/** Creates an organization: a root account holding the seats granted to its whole tree. */
public record CreateRootAccount(UUID accountId, String name, String description, String externalId, long seats) {
}
