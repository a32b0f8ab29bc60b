package io.cxpulse.streams.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.platform.junit.LocalPlatformExtension;
import io.cxpulse.streams.MetricsStreamsApp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The query API's parameters, trends, alerts and health, on a running instance. */
@ExtendWith(LocalPlatformExtension.class)
class QueryApiIT {

    @Test
    void shouldAnswerABadParameterWith400NamingIt(LocalPlatform platform) throws Exception {
        try (Pipeline pipeline = new Pipeline(platform)) {
            MetricsStreamsApp app = pipeline.startStreams("a");
            Instant now = Instant.now();
            Map<String, String> bad = Map.ofEntries(
                    Map.entry("/v1/nps?window=2h", "window"),
                    Map.entry("/v1/csat?at=yesterday", "at"),
                    Map.entry("/v1/ces?touchpoint=checkout&segment=smb", "touchpoint"),
                    Map.entry("/v1/nps?segmnet=smb", "segmnet"),
                    Map.entry("/v1/nps?channel=web", "channel"),
                    Map.entry("/v1/nps?at=%2B1000000000-12-31T23:59:59Z", "at"),
                    Map.entry("/v1/nps/trend?window=24h&points=0", "points"),
                    Map.entry("/v1/nps/trend?points=many", "points"),
                    // beyond what the buckets keep: minute buckets 2 days, hour buckets 35 days
                    Map.entry("/v1/nps?window=1h&at=" + now.minus(Duration.ofDays(3)), "at"),
                    Map.entry("/v1/nps/trend?window=7d&points=24", "points"),
                    Map.entry("/v1/friction/top?window=24h&at=" + now.minus(Duration.ofDays(40)), "at"),
                    Map.entry("/v1/response-times?window=7d&at=" + now.minus(Duration.ofDays(30)), "at"));

            for (Map.Entry<String, String> query : bad.entrySet()) {
                JsonNode answer = pipeline.get(app, query.getKey());
                assertThat(answer.path("status").asInt()).as(query.getKey()).isEqualTo(400);
                assertThat(answer.path("body").path("errors").get(0).path("field").asText()).as(query.getKey())
                        .isEqualTo(query.getValue());
                assertThat(answer.path("body").path("detail").asText()).contains(query.getValue());
            }
            JsonNode beyond = pipeline.get(app, "/v1/nps/trend?window=7d&points=24").path("body");
            assertThat(beyond.path("detail").asText()).contains("35 days (survey.hour.retention)");
            // the oldest trend the hour buckets can answer: four weeks of 7d windows end to end
            assertThat(pipeline.get(app, "/v1/nps/trend?window=7d&points=4").path("status").asInt()).isEqualTo(200);
        }
    }

    @Test
    void shouldGiveTrendsAtPastTimesAndHealth(LocalPlatform platform) throws Exception {
        try (Pipeline pipeline = new Pipeline(platform)) {
            MetricsStreamsApp app = pipeline.startStreams("a");
            Instant now = Instant.now();
            List<Map<String, Object>> sent = Responses.nps(50, now, 5);
            pipeline.send(sent);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(pipeline.get(app,
                    "/v1/nps?window=24h").path("body").path("n").asLong()).isEqualTo(50));

            JsonNode trend = pipeline.get(app, "/v1/nps/trend?window=24h&points=3").path("body");
            JsonNode dayBefore = pipeline.get(app, "/v1/nps?window=24h&at=" + now.minus(Duration.ofDays(1)))
                    .path("body");

            assertThat(trend.path("points")).hasSize(3);
            assertThat(trend.path("points").get(2).path("n").asLong()).isEqualTo(50);
            assertThat(trend.path("points").get(1).path("n").asLong()).isZero();
            assertThat(Instant.parse(trend.path("points").get(1).path("windowEnd").asText()))
                    .isEqualTo(Instant.parse(trend.path("points").get(2).path("windowStart").asText()));
            assertThat(dayBefore.path("n").asLong()).isZero();
            assertThat(dayBefore.path("thinSample").asBoolean()).isTrue();
            assertThat(pipeline.get(app, "/v1/alerts").path("body").path("alerts")).isEmpty();
            assertThat(pipeline.get(app, "/health/ready").path("status").asInt()).isEqualTo(200);
            assertThat(pipeline.get(app, "/health/live").path("status").asInt()).isEqualTo(200);
        }
    }
}
