package dev.arbor.command.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.local.TestTokens;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** What the command side's HTTP tests do: send JSON, check problem responses, look up appended events. */
public final class CommandSideClient {

    private final TestRestTemplate http;
    private final JdbcClient jdbc;

    public CommandSideClient(TestRestTemplate http, JdbcClient jdbc) {
        this.http = http;
        this.jdbc = jdbc;
    }

    public ResponseEntity<JsonNode> send(HttpMethod method, String path, String json) {
        return send(method, path, json, new HttpHeaders());
    }

    /** Sends as the platform admin unless {@code headers} carry another {@code Authorization}. */
    public ResponseEntity<JsonNode> send(HttpMethod method, String path, String json, HttpHeaders headers) {
        if (!headers.containsKey(HttpHeaders.AUTHORIZATION)) {
            headers.setBearerAuth(TestTokens.admin());
        }
        headers.setContentType(MediaType.APPLICATION_JSON);
        return http.exchange(path, method, new HttpEntity<>(json, headers), JsonNode.class);
    }

    /** Creates an account with {@code seats} at {@code path} (a root or a parent's children) and answers its id. */
    public String create(String path, long seats) {
        ResponseEntity<JsonNode> created = send(HttpMethod.POST, path,
                                                "{\"name\": \"Account\", \"seats\": " + seats + "}");
        assertThat(created.getStatusCode().value()).isEqualTo(201);
        return created.getBody().get("id").asText();
    }

    public static void assertProblem(ResponseEntity<JsonNode> response, int status, String code) {
        assertThat(response.getStatusCode().value()).isEqualTo(status);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(response.getBody().get("code").asText()).isEqualTo(code);
        assertThat(response.getBody().get("status").asInt()).isEqualTo(status);
    }

    /** The event at a global position, as {@code aggregate#sequence payloadType}. */
    public String eventAt(long position) {
        return jdbc.sql("""
                        SELECT aggregate_identifier || '#' || sequence_number || ' ' || payload_type
                          FROM event_store.domain_event_entry WHERE global_index = ?""")
                   .param(position).query(String.class).single();
    }

    /** The metadata of the event at a global position, as stored (JSON). */
    public String metadataAt(long position) {
        return jdbc.sql("SELECT convert_from(meta_data, 'UTF8') FROM event_store.domain_event_entry WHERE global_index = ?")
                   .param(position).query(String.class).single();
    }

    public long eventCount() {
        return jdbc.sql("SELECT count(*) FROM event_store.domain_event_entry").query(Long.class).single();
    }
}
