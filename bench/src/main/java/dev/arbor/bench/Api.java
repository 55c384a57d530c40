package dev.arbor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Arbor's HTTP API as the benchmark's clients use it: as the admin, JSON in and out, non-2xx is a failure. */
final class Api {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI commandSide;
    private final URI querySide;
    private final String authorization;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                                                .connectTimeout(Duration.ofSeconds(5)).build();

    Api(URI commandSide, URI querySide, String token) {
        this.commandSide = commandSide;
        this.querySide = querySide;
        this.authorization = "Bearer " + token;
    }

    JsonNode command(String method, String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(commandSide.resolve(path)).header("Content-Type", "application/json")
                               .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                                                            : HttpRequest.BodyPublishers.ofString(json)));
    }

    JsonNode query(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(querySide.resolve(path)).GET());
    }

    /**
     * A query whose answer the caller does not look at: read whole and its status checked, but not parsed. The load
     * generator shares the machine's cores with what it measures, and parsing pages of a thousand accounts took it
     * more CPU than the rest of its work.
     */
    void read(String path) throws IOException, InterruptedException {
        exchange(HttpRequest.newBuilder(querySide.resolve(path)).GET());
    }

    /** An action of the query side's admin API. */
    JsonNode admin(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(querySide.resolve(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** A query that waits until the read model has processed {@code position} (read your own writes). */
    JsonNode queryAfter(String path, long position) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(querySide.resolve(path)).GET()
                               .header("Arbor-Min-Position", Long.toString(position))
                               .header("Arbor-Max-Wait", "30000"));
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        String body = exchange(request);
        return body.isEmpty() ? null : JSON.readTree(body);
    }

    private String exchange(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request.header("Authorization", authorization).build(),
                                                     HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(response.statusCode() + " " + response.body());
        }
        return response.body();
    }
}
