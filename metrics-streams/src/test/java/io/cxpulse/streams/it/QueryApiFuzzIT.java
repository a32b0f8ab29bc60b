package io.cxpulse.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.platform.junit.LocalPlatformExtension;
import io.cxpulse.streams.MetricsStreamsApp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Random and edge-case query strings never get a 5xx or a stack trace from the query API. */
@ExtendWith(LocalPlatformExtension.class)
class QueryApiFuzzIT {
    private static final List<String> PATHS = List.of("/v1/nps", "/v1/csat", "/v1/ces", "/v1/nps/trend",
            "/v1/csat/trend", "/v1/alerts", "/v1/nps/", "/v1/unknown", "/health/ready", "/v1/response-times",
            "/v1/friction/top");
    private static final List<String> NAMES = List.of("window", "segment", "channel", "touchpoint", "at", "points",
            "forwarded", "x", "", "priority", "queue", "limit", "by");
    private static final List<String> VALUES = List.of("1h", "24h", "7d", "0h", "", "smb", "WEB", "web", "OTHER",
            "UNKNOWN", "checkout.payment", "2026-11-20T10:15:30Z", "+1000000000-12-31T23:59:59Z",
            "-1000000000-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "292278994-08-17T07:12:55.807Z", "now", "-1", "0",
            "1", "500", "501", "2147483648", "9999999999999999999", "NaN", "%", "|", "=", "a|b=c%d", "\u00e9t\u00e9",
            "\u0000", "'; drop table", "x".repeat(5_000), "HIGH", "URGENT", "frictionRate", "detractorLift", "billing",
            "100", "101");

    @Test
    void shouldNeverAnswerWithA5xxOrAStackTrace(LocalPlatform platform) throws Exception {
        try (Pipeline pipeline = new Pipeline(platform)) {
            MetricsStreamsApp app = pipeline.startStreams("a");
            pipeline.send(Responses.nps(20, Instant.now(), 7));
            HttpClient http = HttpClient.newHttpClient();
            Random random = new Random(42);
            for (int i = 0; i < 2_000; i++) {
                StringBuilder query = new StringBuilder(PATHS.get(random.nextInt(PATHS.size())));
                int parameters = random.nextInt(5);
                for (int p = 0; p < parameters; p++) {
                    query.append(p == 0 ? '?' : '&')
                            .append(NAMES.get(random.nextInt(NAMES.size()))).append('=')
                            .append(URLEncoder.encode(VALUES.get(random.nextInt(VALUES.size())),
                                    StandardCharsets.UTF_8));
                }
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(app.url() + query))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());

                assertThat(response.statusCode()).as(query.toString()).isLessThan(500);
                assertThat(response.body()).as(query.toString()).doesNotContain("Exception", "\tat ");
            }
        }
    }
}
