package dev.arbor.command.account;

import dev.arbor.api.account.AccountLabel;
import dev.arbor.platform.web.PlainText;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/**
 * Request body for creating a root or a child account. Text is trimmed before it is validated; a {@code label} is
 * taken as it is ({@link AccountLabel}). {@code enabled} false creates it suspended; left out, it starts active.
 */
public record NewAccount(@NotBlank @Size(max = 200) @PlainText String name,
                         @Size(max = 2000) @PlainText(multiline = true) String description,
                         @Size(min = 1, max = 200) @PlainText String externalId,
                         @Pattern(regexp = AccountLabel.PATTERN) String label,
                         @NotNull @PositiveOrZero Long seats,
                         Boolean enabled) {

    public NewAccount {
        name = trimmed(name);
        description = trimmed(description);
        externalId = trimmed(externalId);
    }

    /** Left out means enabled. */
    boolean startsEnabled() {
        return enabled == null || enabled;
    }

    private static String trimmed(String text) {
        return text == null ? null : text.strip();
    }
}
