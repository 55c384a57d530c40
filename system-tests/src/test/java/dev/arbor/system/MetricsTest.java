package dev.arbor.system;

import dev.arbor.local.TestTokens;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/prometheus} on both apps: the platform admin's only, and Arbor's own metrics (commands by command
 * and outcome, problem+json answers by code and status, projection lag by processor and segment) move with what
 * the apps do.
 */
class MetricsTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final RunningArbor arbor = RunningArbor.get();
    private final Commands commands = new Commands(arbor.commandSide);

    @Test
    void aCommandAndARefusedOneAreTimedByOutcomeAndTheRefusalCountedByCode() {
        double createdBefore = value(arbor.commandSide, "arbor_commands_seconds_count",
                                     "command=\"CreateRootAccount\",outcome=\"ok\"");
        String org = commands.create("/api/v1/accounts", "{\"name\": \"Metrics\", \"seats\": 0}");
        Http.Response refused = Http.post(arbor.commandSide, "/api/v1/accounts/" + org + "/children",
                                          "{\"name\": \"Too many\", \"seats\": 5}");
        assertThat(refused.status()).isBetween(400, 499);
        String code = refused.body().get("code").asText();
        String refusal = "command=\"CreateChildAccount\",outcome=\"" + code + "\"";
        String problem = "code=\"" + code + "\",status=\"" + refused.status() + "\"";
        // the refusal's own counts, read after it: each test run's first refusal of its kind has them at 1
        double refusedCount = value(arbor.commandSide, "arbor_commands_seconds_count", refusal);
        double problems = value(arbor.commandSide, "arbor_problems_total", problem);

        assertThat(value(arbor.commandSide, "arbor_commands_seconds_count",
                         "command=\"CreateRootAccount\",outcome=\"ok\"")).isEqualTo(createdBefore + 1);
        assertThat(refusedCount).isGreaterThanOrEqualTo(1);
        assertThat(problems).isGreaterThanOrEqualTo(1);

        Http.post(arbor.commandSide, "/api/v1/accounts/" + org + "/children", "{\"name\": \"Again\", \"seats\": 5}");
        assertThat(value(arbor.commandSide, "arbor_commands_seconds_count", refusal)).isEqualTo(refusedCount + 1);
        assertThat(value(arbor.commandSide, "arbor_problems_total", problem)).isEqualTo(problems + 1);
        assertThat(scrape(arbor.commandSide, TestTokens.admin()).body())
                .contains("arbor_commands_seconds_bucket{command=\"CreateRootAccount\",outcome=\"ok\"");
    }

    @Test
    void theQuerySideCountsItsProblemsToo() {
        String problem = "code=\"NOT_FOUND\",status=\"404\"";
        double before = value(arbor.querySide, "arbor_problems_total", problem);

        assertThat(Http.get(arbor.querySide, "/api/v1/accounts/" + UUID.randomUUID()).status()).isEqualTo(404);

        assertThat(value(arbor.querySide, "arbor_problems_total", problem)).isEqualTo(before + 1);
    }

    @Test
    void onlyThePlatformAdminReadsTheMetrics() {
        for (URI app : List.of(arbor.commandSide, arbor.querySide)) {
            assertThat(scrape(app, null).statusCode()).as(app.toString()).isEqualTo(401);
            assertThat(scrape(app, TestTokens.user(UUID.randomUUID())).statusCode()).as(app.toString())
                                                                                    .isEqualTo(403);
            assertThat(scrape(app, TestTokens.admin()).statusCode()).as(app.toString()).isEqualTo(200);
        }
    }

    @Test
    void everyProcessorSegmentsLagIsThereAndZeroOnceCaughtUp() {
        commands.create("/api/v1/accounts", "{\"name\": \"Lag\", \"seats\": 0}");
        List.of("accounts", "audit").forEach(processor -> Processors.awaitCaughtUp(arbor.querySide, processor));

        for (String processor : List.of("accounts", "audit")) {
            for (int segment : arbor.store.ownersBySegment(processor).keySet()) {
                String tags = "processor=\"" + processor + "\",segment=\"" + segment + "\"";
                // the gauges are read once a second
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                    assertThat(value(arbor.querySide, "arbor_projection_lag_events", tags)).as(tags).isZero();
                    assertThat(value(arbor.querySide, "arbor_projection_lag_seconds", tags)).as(tags).isZero();
                });
            }
        }
    }

    /** The sample's value; 0 when the app has no such sample yet (a counter or timer is made at its first use). */
    private static double value(URI app, String metric, String tags) {
        HttpResponse<String> scraped = scrape(app, TestTokens.admin());
        assertThat(scraped.statusCode()).isEqualTo(200);
        Matcher sample = Pattern.compile("(?m)^" + Pattern.quote(metric + "{" + tags) + "[^}]*} (\\S+)$")
                                .matcher(scraped.body());
        return sample.find() ? Double.parseDouble(sample.group(1)) : 0;
    }

    private static HttpResponse<String> scrape(URI app, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.resolve("/actuator/prometheus")).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
