package dev.arbor.system;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The check every system test's answers go through finds what the documents do not describe: answers made up here
 * (no app involved), checked against the committed documents, so that a check that lets everything pass fails.
 */
class ApiContractTest {

    private static final URI COMMAND_SIDE = URI.create("http://localhost:8080");
    private static final String RESULT = "{\"id\":\"" + UUID.randomUUID() + "\",\"version\":0,\"position\":7}";

    private final ApiContract contract = ApiContract.get();

    @AfterEach
    void forgetTheAnswersMadeUpHere() {
        contract.takeViolations();
    }

    @Test
    void aDocumentedAnswerPasses() {
        check("POST", "/api/v1/accounts", 201, "application/json", RESULT);
        check("POST", "/api/v1/accounts", 409, "application/problem+json",
              "{\"status\":409,\"code\":\"DUPLICATE_EXTERNAL_ID\",\"title\":\"Conflict\"}");
        assertThat(contract.takeViolations()).isEmpty();
    }

    @Test
    void aBodyTheSchemaRefusesFails() {
        check("POST", "/api/v1/accounts", 201, "application/json",
              "{\"id\":\"5\",\"version\":\"zero\",\"position\":7}");
        assertThat(contract.takeViolations()).singleElement().asString()
                                             .contains("/version", "integer expected", "POST /api/v1/accounts");
    }

    @Test
    void aProblemCodeOutsideTheEnumFails() {
        check("POST", "/api/v1/accounts", 409, "application/problem+json", "{\"status\":409,\"code\":\"NO_SUCH\"}");
        assertThat(contract.takeViolations()).singleElement().asString().contains("/code");
    }

    @Test
    void anUndocumentedStatusFails() {
        check("POST", "/api/v1/accounts", 200, "application/json", RESULT);
        assertThat(contract.takeViolations()).singleElement().asString().contains("documents no status 200");
    }

    @Test
    void anUndocumentedContentTypeFails() {
        check("POST", "/api/v1/accounts", 201, "text/plain", "created");
        assertThat(contract.takeViolations()).singleElement().asString().contains("not text/plain");
    }

    @Test
    void anUndocumentedOperationThatAnswersFails() {
        check("GET", "/api/v1/seat-tokens", 200, "application/json", "[]");
        check("POST", "/api/v1/unknown", 201, "application/json", RESULT);
        assertThat(contract.takeViolations()).hasSize(2).allSatisfy(violation -> assertThat(violation)
                .contains("no documented operation"));
    }

    @Test
    void anUndocumentedOperationMayOnlyBeRefusedAsAProblem() {
        check("GET", "/api/v1/unknown", 404, "application/problem+json", "{\"status\":404,\"code\":\"NOT_FOUND\"}");
        assertThat(contract.takeViolations()).isEmpty();
        check("GET", "/api/v1/unknown", 404, "text/html", "<html>Not Found</html>");
        assertThat(contract.takeViolations()).singleElement().asString().contains("not problem+json");
    }

    private void check(String method, String path, int status, String contentType, String body) {
        contract.check(method, COMMAND_SIDE.resolve(path), status, contentType, body);
    }
}
