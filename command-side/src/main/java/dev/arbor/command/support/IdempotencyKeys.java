package dev.arbor.command.support;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Optional;

/** {@code command_lookup.idempotency_key}: the keys of POST requests and the responses to replay for them. */
@Component
@EnableScheduling
class IdempotencyKeys {

    /** A claimed key: the request it was claimed for, and the response once stored. */
    record Claim(String fingerprint, String result, Integer status, String location, String body) {

        boolean hasResponse() {
            return status != null;
        }
    }

    private final JdbcClient jdbc;
    private final Duration retention;

    IdempotencyKeys(JdbcClient jdbc, @Value("${arbor.idempotency-retention:24h}") Duration retention) {
        this.jdbc = jdbc;
        this.retention = retention;
    }

    Optional<Claim> find(String key) {
        return jdbc.sql("""
                        SELECT fingerprint, result, response_status, response_location, response_body
                          FROM command_lookup.idempotency_key WHERE key = ?""")
                   .param(key)
                   .query((rs, row) -> new Claim(rs.getString(1), rs.getString(2), (Integer) rs.getObject(3),
                                                 rs.getString(4), rs.getString(5)))
                   .optional();
    }

    /**
     * Claims the key for the command being committed, in its transaction. A concurrent request holding the same key
     * makes this one fail and roll back, so the command runs once; {@link IdempotencyFilter} then replays the
     * winner's response.
     */
    void claim(String key, String fingerprint, String result) {
        try {
            jdbc.sql("INSERT INTO command_lookup.idempotency_key (key, fingerprint, result) VALUES (?, ?, ?)")
                .params(key, fingerprint, result)
                .update();
        } catch (DuplicateKeyException taken) {
            throw new RuleViolation(ErrorCode.CONCURRENT_MODIFICATION,
                                    "Another request with this Idempotency-Key was handled first.");
        }
    }

    void storeResponse(String key, int status, String location, String body) {
        jdbc.sql("""
                 UPDATE command_lookup.idempotency_key
                    SET response_status = ?, response_location = ?, response_body = ?
                  WHERE key = ?""")
            .params(status, location, body, key)
            .update();
    }

    @Scheduled(fixedDelayString = "${arbor.idempotency-cleanup-interval:10m}")
    void forgetExpired() {
        jdbc.sql("DELETE FROM command_lookup.idempotency_key WHERE created_at < now() - make_interval(secs => ?)")
            .param(retention.toSeconds())
            .update();
    }
}
