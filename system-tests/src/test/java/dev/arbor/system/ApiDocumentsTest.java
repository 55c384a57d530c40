package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed OpenAPI documents are the ones the apps serve: a change of the API that leaves them as they were
 * fails the build, with the command that rewrites them (whose diff then shows the change for review).
 */
class ApiDocumentsTest {

    private final RunningArbor arbor = RunningArbor.get();

    @Test
    void commandSideDocumentIsCommitted() {
        check(ApiDocuments.COMMAND_SIDE, arbor.commandSide);
    }

    @Test
    void querySideDocumentIsCommitted() {
        check(ApiDocuments.QUERY_SIDE, arbor.querySide);
    }

    private static void check(ApiDocuments document, URI app) {
        Http.Response served = Http.get(app, "/v3/api-docs", null);
        assertThat(served.status()).as(served.toString()).isEqualTo(200);
        if (Boolean.getBoolean(ApiDocuments.WRITE_PROPERTY)) {
            document.write(served.body());
        }
        // compared as text in the canonical form, so the message is the diff a reviewer would see
        assertThat(ApiDocuments.canonical(served.body()))
                .as("%s is not what the app serves at /v3/api-docs; regenerate it with %s and review the diff",
                    document.file(), ApiDocuments.REGENERATE)
                .isEqualTo(ApiDocuments.canonical(document.committed()));
    }
}
