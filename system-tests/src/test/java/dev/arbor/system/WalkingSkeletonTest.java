package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A root and a child created on the command side, read back from the query side over HTTP. */
class WalkingSkeletonTest {

    private final RunningArbor arbor = RunningArbor.get();

    @Test
    void createdAccountsCanBeReadBackFromTheQuerySide() {
        Http.Response root = Http.post(arbor.commandSide, "/api/v1/accounts", """
                {"name": "Acme Corp", "description": "Anvils", "externalId": "acme-system", "seats": 100}""");
        assertThat(root.status()).isEqualTo(201);
        String rootId = root.body().get("id").asText();

        Http.Response child = Http.post(arbor.commandSide, "/api/v1/accounts/" + rootId + "/children", """
                {"name": "Acme EU", "seats": 30}""");
        assertThat(child.status()).isEqualTo(201);
        String childId = child.body().get("id").asText();

        JsonNode childView = awaitAccount(childId);
        assertThat(childView.get("name").asText()).isEqualTo("Acme EU");
        assertThat(childView.get("parentId").asText()).isEqualTo(rootId);
        assertThat(childView.get("rootId").asText()).isEqualTo(rootId);
        assertThat(childView.get("depth").asInt()).isEqualTo(1);
        assertThat(childView.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(childView.get("seats").toString()).isEqualTo("{\"total\":30,\"used\":0,\"free\":30}");
        assertThat(childView.get("version").asLong()).isZero();

        JsonNode rootView = Http.get(arbor.querySide, "/api/v1/accounts/" + rootId).body();
        assertThat(rootView.get("name").asText()).isEqualTo("Acme Corp");
        assertThat(rootView.get("description").asText()).isEqualTo("Anvils");
        assertThat(rootView.get("externalId").asText()).isEqualTo("acme-system");
        assertThat(rootView.get("parentId").isNull()).isTrue();
        assertThat(rootView.get("depth").asInt()).isZero();
        assertThat(rootView.get("seats").toString()).isEqualTo("{\"total\":70,\"used\":0,\"free\":70}");
        assertThat(rootView.get("version").asLong()).isEqualTo(1);
        assertThat(rootView.get("updatedAt").asText()).isGreaterThan(rootView.get("createdAt").asText());
    }

    @Test
    void anUnknownAccountIsNotFound() {
        Http.Response response = Http.get(arbor.querySide, "/api/v1/accounts/0191e5b2-0000-7000-8000-00000000beef");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        assertThat(response.body().get("code").asText()).isEqualTo("NOT_FOUND");
    }

    private JsonNode awaitAccount(String id) {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                      .until(() -> Http.get(arbor.querySide, "/api/v1/accounts/" + id),
                             response -> response.status() == 200)
                      .body();
    }
}
