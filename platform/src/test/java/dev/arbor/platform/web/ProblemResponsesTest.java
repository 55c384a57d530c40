package dev.arbor.platform.web;

import org.axonframework.commandhandling.CommandExecutionException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;

import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/** The answer to a failure no specific handler claims: 503 when the database's absence explains it, else 500. */
class ProblemResponsesTest {

    private final ProblemResponses responses = new ProblemResponses();

    @Test
    void anOutageWrappedInACommandFailureIs503WithRetryAfter() {
        CannotCreateTransactionException noConnection = new CannotCreateTransactionException(
                "Could not open JDBC Connection for transaction",
                new SQLTransientConnectionException("HikariPool-1 - Connection is not available"));

        ResponseEntity<ProblemDetail> response =
                responses.unexpected(new CommandExecutionException("Command failed", noConnection));

        assertThat(response.getStatusCode().value()).isEqualTo(503);
        assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
        assertThat(response.getBody().getProperties()).containsEntry("code", "DATABASE_UNAVAILABLE");
        assertThat(response.getBody().getDetail()).doesNotContain("Hikari");
    }

    @Test
    void anyOtherFailureIs500WithoutItsDetails() {
        ResponseEntity<ProblemDetail> response =
                responses.unexpected(new IllegalStateException("select * from secrets"));

        assertThat(response.getStatusCode().value()).isEqualTo(500);
        assertThat(response.getHeaders().containsKey(HttpHeaders.RETRY_AFTER)).isFalse();
        assertThat(response.getBody().getProperties()).containsEntry("code", "INTERNAL_ERROR");
        assertThat(response.getBody().getDetail()).doesNotContain("secrets");
    }
}
