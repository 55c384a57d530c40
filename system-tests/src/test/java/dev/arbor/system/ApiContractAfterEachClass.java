package dev.arbor.system;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After every test class: each answer it got over {@link Http} is one the OpenAPI documents describe
 * ({@link ApiContract}). Checked after the class rather than at each call, so that answers got on other threads
 * (the concurrency and load tests) fail the class too. Registered for every class through {@code META-INF/services}.
 */
public final class ApiContractAfterEachClass implements AfterAllCallback {

    @Override
    public void afterAll(ExtensionContext context) {
        if (Boolean.getBoolean(ApiDocuments.WRITE_PROPERTY)) {
            // the documents are being rewritten from the apps: the answers are checked by the next run, against them
            ApiContract.get().takeViolations();
            return;
        }
        List<String> violations = ApiContract.get().takeViolations();
        assertThat(violations).as("answers to %s that docs/openapi/ does not describe (fix the app or its"
                                  + " document, then regenerate with %s)", context.getDisplayName(),
                                  ApiDocuments.REGENERATE).isEmpty();
    }
}
