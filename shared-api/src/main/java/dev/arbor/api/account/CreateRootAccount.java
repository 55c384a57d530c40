package dev.arbor.api.account;

import java.util.UUID;

/**
 * Creates an organization: a root account holding the seats granted to its whole tree, with an optional
 * {@code label} ({@link AccountLabel}). Unless {@code enabled}, it is created suspended, with the event a suspension
 * right after its creation would record.
 */
public record CreateRootAccount(UUID accountId, String name, String description, String externalId, String label,
                                long seats, boolean enabled) {

    /** An organization without a label that starts active. */
    public CreateRootAccount(UUID accountId, String name, String description, String externalId, long seats) {
        this(accountId, name, description, externalId, null, seats, true);
    }
}
