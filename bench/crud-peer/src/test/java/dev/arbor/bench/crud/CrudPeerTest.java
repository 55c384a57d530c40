package dev.arbor.bench.crud;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.local.TestDatabase;
import dev.arbor.local.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The peer's three commands and their rules, over HTTP through Arbor's security chain, on a real PostgreSQL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=crud-peer")
@ContextConfiguration(initializers = TestDatabase.class)
class CrudPeerTest {

    @Autowired
    TestRestTemplate http;
    @Autowired
    JdbcClient sql;

    @Test
    void createsAChildMovesSeatsAndRegistersADeviceWithAnAuditRowEach() {
        String org = id(post(TestTokens.admin(), "/api/v1/accounts", "{\"name\": \"Org\", \"seats\": 10}"));
        String child = id(post(TestTokens.admin(), "/api/v1/accounts/" + org + "/children",
                               "{\"name\": \"Child\", \"seats\": 4}"));
        assertThat(post(TestTokens.admin(), "/api/v1/accounts/" + child + "/seat-transfers",
                        "{\"to\": \"" + org + "\", \"seats\": 1}").getStatusCode().value()).isEqualTo(200);
        assertThat(post(TestTokens.admin(), "/api/v1/accounts/" + child + "/devices",
                        "{\"serial\": \"sn-" + UUID.randomUUID() + "\", \"name\": \"d\"}").getStatusCode().value())
                .isEqualTo(201);

        assertThat(seatsAndDevices(org)).isEqualTo("7/0");
        assertThat(seatsAndDevices(child)).isEqualTo("3/1");
        assertThat(sql.sql("SELECT string_agg(type, ',' ORDER BY position) FROM crud.audit WHERE account_id IN (?, ?)")
                      .params(UUID.fromString(org), UUID.fromString(child)).query(String.class).single())
                .isEqualTo("AccountCreated,AccountCreated,SeatsMoved,DeviceRegistered");
    }

    @Test
    void refusesWhatTheRulesForbidAndChangesNothing() {
        String org = id(post(TestTokens.admin(), "/api/v1/accounts", "{\"name\": \"Org\", \"seats\": 2}"));
        String child = id(post(TestTokens.admin(), "/api/v1/accounts/" + org + "/children",
                               "{\"name\": \"Child\", \"seats\": 1}"));
        String other = id(post(TestTokens.admin(), "/api/v1/accounts", "{\"name\": \"Other\", \"seats\": 5}"));
        String serial = "sn-" + UUID.randomUUID();
        post(TestTokens.admin(), "/api/v1/accounts/" + child + "/devices", "{\"serial\": \"" + serial
                + "\", \"name\": \"d\"}");

        assertRefused(post(TestTokens.admin(), "/api/v1/accounts/" + org + "/children",
                           "{\"name\": \"Too big\", \"seats\": 2}"), 409, "INSUFFICIENT_SEATS");
        assertRefused(post(TestTokens.admin(), "/api/v1/accounts/" + child + "/devices",
                           "{\"serial\": \"sn-2\", \"name\": \"d\"}"), 409, "INSUFFICIENT_SEATS");
        assertRefused(post(TestTokens.admin(), "/api/v1/accounts/" + org + "/devices",
                           "{\"serial\": \"" + serial + "\", \"name\": \"d\"}"), 409, "DUPLICATE_SERIAL");
        assertRefused(post(TestTokens.admin(), "/api/v1/accounts/" + org + "/seat-transfers",
                           "{\"to\": \"" + other + "\", \"seats\": 1}"), 409, "NOT_PARENT_OR_CHILD");
        assertRefused(post(TestTokens.admin(), "/api/v1/accounts/" + UUID.randomUUID() + "/children",
                           "{\"name\": \"Orphan\", \"seats\": 0}"), 404, "NOT_FOUND");
        assertRefused(post(TestTokens.user(UUID.randomUUID()), "/api/v1/accounts/" + org + "/children",
                           "{\"name\": \"By a user\", \"seats\": 0}"), 403, "PERMISSION_DENIED");
        assertRefused(post(null, "/api/v1/accounts/" + org + "/children",
                           "{\"name\": \"Anonymous\", \"seats\": 0}"), 401, "UNAUTHENTICATED");

        assertThat(seatsAndDevices(org)).isEqualTo("1/0");
        assertThat(seatsAndDevices(child)).isEqualTo("1/1");
        assertThat(seatsAndDevices(other)).isEqualTo("5/0");
        assertThat(sql.sql("SELECT count(*) FROM crud.account WHERE parent_id = ?").param(UUID.fromString(org))
                      .query(Long.class).single()).isEqualTo(1);
    }

    private ResponseEntity<JsonNode> post(String token, String path, String json) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        if (token != null) {
            headers.setBearerAuth(token);
        }
        return http.postForEntity(path, new HttpEntity<>(json, headers), JsonNode.class);
    }

    private static String id(ResponseEntity<JsonNode> created) {
        assertThat(created.getStatusCode().value()).as("%s", created.getBody()).isEqualTo(201);
        return created.getBody().get("id").asText();
    }

    private static void assertRefused(ResponseEntity<JsonNode> response, int status, String code) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(response.getBody().get("code").asText()).isEqualTo(code);
    }

    private String seatsAndDevices(String id) {
        return sql.sql("SELECT seats || '/' || devices FROM crud.account WHERE id = ?").param(UUID.fromString(id))
                  .query(String.class).single();
    }
}
