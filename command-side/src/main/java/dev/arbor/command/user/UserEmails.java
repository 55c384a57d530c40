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

    private final JdbcClient jdbc;

    UserEmails(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(UserAdded event) {
        try {
            jdbc.sql("INSERT INTO command_lookup.user_email (email, user_id) VALUES (?, ?)")
                .params(event.email().toLowerCase(Locale.ROOT), event.userId())
                .update();
        } catch (DuplicateKeyException taken) {
            throw new RuleViolation(ErrorCode.DUPLICATE_EMAIL, "Another user already has that email.");
        }
    }
}
