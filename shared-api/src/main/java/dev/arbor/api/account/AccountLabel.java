package dev.arbor.api.account;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;

import java.util.regex.Pattern;

/**
 * An account's optional label: a slug of lower-case letters, digits and hyphens, 1-63 characters, neither starting
 * nor ending with a hyphen (a DNS label's form, so it fits in host names and paths as it is). Unique among the live
 * children of one parent: the command side's directory holds it to that, in the command's own transaction.
 */
public final class AccountLabel {

    /** The form, for bean validation of request bodies and for {@link #requireValid}. */
    public static final String PATTERN = "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$";

    private static final Pattern FORM = Pattern.compile(PATTERN);

    private AccountLabel() {
    }

    /** Refuses (400 {@code VALIDATION_FAILED}) a label not of the form; null (no label) passes. */
    public static void requireValid(String label) {
        if (label != null && !FORM.matcher(label).matches()) {
            throw new RuleViolation(ErrorCode.VALIDATION_FAILED, "A label is 1-63 lower-case letters, digits and "
                    + "hyphens, not starting or ending with a hyphen; '" + abbreviated(label) + "' is not.");
        }
    }

    private static String abbreviated(String label) {
        return label.length() <= 64 ? label : label.substring(0, 64) + "...";
    }
}
