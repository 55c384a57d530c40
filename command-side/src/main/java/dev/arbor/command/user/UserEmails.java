package dev.arbor.command.user;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.api.user.UserAdded;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.Locale;

/**
 * Emails are unique over all users, case-insensitively: {@code command_lookup.user_email} claims each one in the
 * transaction that adds the user, so two concurrent additions can never both take it.
 */
@Component
class UserEmails {

    /** {@code command_lookup.user_email.email} (and the query side's {@code app_user.email}) are VARCHAR(320). */
    static final int MAX_LENGTH = 320;

    private final JdbcClient jdbc;

    UserEmails(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The form an email is unique in: lower case, in no particular language. */
    static String key(String email) {
        return email.toLowerCase(Locale.ROOT);
    }

    /**
     * Lower case can be longer than the email as given ('İ' becomes 'i' and a combining dot), so an email that
     * passed the request's length check may still not fit the lookup's column: refused as invalid input (400), not
     * left to fail on the insert (500). PostgreSQL counts code points, so this does too.
     */
    static void requireStorable(String email) {
        String key = key(email);
        if (key.codePointCount(0, key.length()) > MAX_LENGTH) {
            throw new RuleViolation(ErrorCode.VALIDATION_FAILED, "The email is longer than " + MAX_LENGTH
                    + " characters in lower case, the form in which emails are kept unique.");
        }
    }

    @EventHandler
    void on(UserAdded event) {
        try {
            jdbc.sql("INSERT INTO command_lookup.user_email (email, user_id) VALUES (?, ?)")
                .params(key(event.email()), event.userId())
                .update();
        } catch (DuplicateKeyException taken) {
            throw new RuleViolation(ErrorCode.DUPLICATE_EMAIL, "Another user already has that email.");
        }
    }
}
