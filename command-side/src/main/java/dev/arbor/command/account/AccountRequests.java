package dev.arbor.command.account;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import dev.arbor.api.account.AccountLabel;
import dev.arbor.platform.web.PlainText;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Request bodies of the account endpoints other than creation ({@link NewAccount}). */
final class AccountRequests {

    private AccountRequests() {
    }

    /**
     * {@code PATCH /accounts/{id}}: a field left out is unchanged; {@code description}, {@code externalId} or
     * {@code label} given as null is cleared; {@code enabled} false suspends, true lifts the suspension (null, as
     * left out, neither).
     */
    record DetailsPatch(@Size(min = 1, max = 200) @PlainText String name,
                        @JsonDeserialize(using = ClearedWhenNull.class)
                        Optional<@Size(max = 2000) @PlainText(multiline = true) String> description,
                        @JsonDeserialize(using = ClearedWhenNull.class)
                        Optional<@Size(min = 1, max = 200) @PlainText String> externalId,
                        @JsonDeserialize(using = ClearedWhenNull.class)
                        Optional<@Pattern(regexp = AccountLabel.PATTERN) String> label,
                        Boolean enabled) {

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

    /**
     * A text field of a patch: left out, null (kept); given as null, empty (cleared); given, its text. Jackson's own
     * {@code Optional} reads a left-out record component as empty too, which cleared every field a patch left out.
     */
    static final class ClearedWhenNull extends StdDeserializer<Optional<String>> {

        ClearedWhenNull() {
            super(Optional.class);
        }

        @Override
        public Optional<String> deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return Optional.of(context.readValue(parser, String.class));
        }

        @Override
        public Optional<String> getNullValue(DeserializationContext context) {
            return Optional.empty();
        }

        @Override
        public Object getAbsentValue(DeserializationContext context) {
            return null;
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
