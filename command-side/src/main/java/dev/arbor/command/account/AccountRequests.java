package dev.arbor.command.account;

import dev.arbor.platform.web.PlainText;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Request bodies of the account endpoints other than creation ({@link NewAccount}). */
final class AccountRequests {

    private AccountRequests() {
    }

    /**
     * {@code PATCH /accounts/{id}}: a field left out is unchanged; {@code description} or {@code externalId} given
     * as null is cleared.
     */
    record DetailsPatch(@Size(min = 1, max = 200) @PlainText String name,
                        Optional<@Size(max = 2000) @PlainText(multiline = true) String> description,
                        Optional<@Size(min = 1, max = 200) @PlainText String> externalId) {

        DetailsPatch {
            name = name == null ? null : name.strip();
        }

        /** The command's convention: null keeps the value, an empty string clears it. */
        static String clearing(Optional<String> field) {
            if (field == null) {
                return null;
            }
            return field.map(String::strip).orElse("");
        }
    }

    record Move(@NotNull UUID newParentId) {
    }

    record SeatTransfer(@NotNull UUID to, @NotNull @Positive Long seats) {
    }

    record SeatTotal(@NotNull @PositiveOrZero Long seats) {
    }

    record Suspension(@Size(max = 2000) @PlainText(multiline = true) String reason) {
    }

    record Reactivation(@PositiveOrZero Long seats) {
    }

    record ConfigurationPatch(Boolean billable,
                              Map<@Size(min = 1, max = 64) @PlainText String, @Size(max = 1024) @PlainText String> properties,
                              Map<@Size(min = 1, max = 64) @PlainText String, @PositiveOrZero Integer> defaultChildLimits) {
    }
}
