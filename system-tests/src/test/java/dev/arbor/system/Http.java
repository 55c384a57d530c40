package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.local.TestTokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A plain HTTP client for the system tests: what a curl user of Arbor sees. */
final class Http {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * {@code retryAfter} is the {@code Retry-After} header, null when there is none; {@code headers} are all of them
     * (null for an answer that never came).
     */
    record Response(int status, String contentType, JsonNode body, boolean stale, String retryAfter,
                    HttpHeaders headers) {

        /** Every problem+json answer of either app, whichever part of it wrote the answer, says its own status. */
        Response {
            if (contentType != null && contentType.startsWith("application/problem+json") && body != null
                    && body.path("status").asInt() != status) {
                throw new AssertionError("a " + status + " answer whose problem says " + body.path("status") + ": "
                                         + body);
            }
        }

        /** The header's first value, null when there is none. */
        String header(String name) {
            return headers == null ? null : headers.firstValue(name).orElse(null);
        }
    }

    private Http() {
    }

    static Response post(URI base, String path, String json) {
        return send(base, "POST", path, json);
    }

    static Response send(URI base, String method, String path, String json, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                                                 .setHeader("Content-Type", "application/json")
                                                 .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                                                                              : HttpRequest.BodyPublishers.ofString(json));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    static Response get(URI base, String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET().build());
    }

    /** A GET with the given bearer token (null for none at all). */
    static Response get(URI base, String path, String token) {
        return call(base, "GET", path, token);
    }

    /** A request without a body, with the given bearer token (null for none at all). */
    static Response call(URI base, String method, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                                                 .method(method, HttpRequest.BodyPublishers.noBody());
        return send(token == null ? request.header("Authorization", "").build()
                                  : request.header("Authorization", "Bearer " + token).build());
    }

    /** A GET that waits (at most {@code maxWaitMillis}) until the read model has processed {@code position}. */
    static Response getAfter(URI base, String path, long position, long maxWaitMillis) {
        return send(after(base, path, position).header("Arbor-Max-Wait", Long.toString(maxWaitMillis)).build());
    }

    /** A GET that waits for {@code position} as long as the query side does by default (no Arbor-Max-Wait). */
    static Response getAfter(URI base, String path, long position) {
        return send(after(base, path, position).build());
    }

    private static HttpRequest.Builder after(URI base, String path, long position) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Arbor-Min-Position", Long.toString(position)).GET();
    }

    /** An answer as text, JSON or not: for tests that look for bytes in any answer. */
    record Text(int status, String contentType, String body) {
    }

    /**
     * A request to {@code rawPath} (with its query) exactly as written, neither resolved against {@code base} nor
     * normalized, so that {@code //}, {@code %61} and {@code ;} reach the server as sent; with the given bearer token
     * (null for none) and JSON body (null for none).
     */
    static Text exchange(URI base, String method, String rawPath, String json, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + rawPath))
                                                 .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                                                                              : HttpRequest.BodyPublishers.ofString(json))
                                                 .header("Authorization", token == null ? "" : "Bearer " + token);
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpRequest sent = request.build();
            HttpResponse<String> response = CLIENT.send(sent, HttpResponse.BodyHandlers.ofString());
            contract(sent, response);
            return new Text(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                            response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The body as JSON; null when empty, or when it is not JSON (which a test then sees as a wrong answer). */
    private static JsonNode json(String body) {
        try {
            return body.isEmpty() ? null : JSON.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }

    /** Every answer is checked against the OpenAPI documents ({@link ApiContract}), whatever the test asserts. */
    private static void contract(HttpRequest request, HttpResponse<String> response) {
        ApiContract.get().check(request.method(), request.uri(), response.statusCode(),
                                response.headers().firstValue("Content-Type").orElse(null), response.body());
    }

    /** Sends as the platform admin unless the request carries another {@code Authorization}. */
    private static Response send(HttpRequest request) {
        if (request.headers().firstValue("Authorization").isEmpty()) {
            request = HttpRequest.newBuilder(request, (name, value) -> true)
                                 .header("Authorization", "Bearer " + TestTokens.admin()).build();
        }
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            contract(request, response);
            JsonNode body = json(response.body());
            return new Response(response.statusCode(),
                                response.headers().firstValue("Content-Type").orElse(null), body,
                                response.headers().firstValue("Arbor-Stale").isPresent(),
                                response.headers().firstValue("Retry-After").orElse(null), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
