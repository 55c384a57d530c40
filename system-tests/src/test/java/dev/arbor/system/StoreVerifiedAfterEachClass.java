package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After every test class that used the shared running apps: once the processors have reached the head of the store,
 * the query side's verification finds every stored event in the audit log exactly once and no row of the read model
 * that differs from a fold of the events. A processor's stream that passes over a committed event, or a projection
 * that counts one twice, thus fails the class that caused it, whatever that class asserts itself. Events that tests
 * park on purpose (dead letters) are theirs to check. Registered for every class through
 * {@code META-INF/services}.
 */
public final class StoreVerifiedAfterEachClass implements AfterAllCallback {

    private static final Duration AT_HEAD = Duration.ofSeconds(60);

    @Override
    public void afterAll(ExtensionContext context) {
        RunningArbor.ifStarted().ifPresent(arbor -> {
            arbor.store.awaitProjectionsAtHead(arbor.querySide, AT_HEAD);
            Http.Response verification = Http.post(arbor.querySide, "/api/v1/admin/verify", null);
            assertThat(verification.status()).as(verification.toString()).isEqualTo(200);
            JsonNode report = verification.body();
            assertThat(report.get("mismatches")).as("read model rows that differ from the events, after %s",
                                                    context.getDisplayName()).isEmpty();
            assertThat(report.get("auditLog").get("missing").asLong())
                    .as("events missing from the audit log after %s: %s", context.getDisplayName(),
                        report.get("auditLog")).isZero();
            assertThat(report.get("auditLog").get("doubled")).as("events doubled in the audit log").isEmpty();
            assertThat(report.get("auditLog").get("unknown")).as("audit rows of no stored event").isEmpty();
        });
    }
}
