package io.cxpulse.streams.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.platform.junit.LocalPlatformExtension;
import io.cxpulse.streams.MetricsStreamsApp;
import io.cxpulse.streams.it.Responses.Expected;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Events sent through ingest over HTTP reach metrics-streams through Kafka, and its answers are exact. */
@ExtendWith(LocalPlatformExtension.class)
class SurveyPipelineIT {
    private static final Map<String, Predicate<Map<String, Object>>> QUERIES = Map.of(
            "", event -> true,
            "&segment=smb", event -> event.get("segment").equals("smb"),
            "&channel=WEB", event -> event.get("channel").equals("WEB"),
            "&segment=enterprise&channel=PHONE", event -> event.get("segment").equals("enterprise")
                    && event.get("channel").equals("PHONE"));

    /**
     * Waits until every query agrees with what was sent: keys live in different tasks, so one key being up to date
     * says nothing of another.
     */
    private static void assertAgrees(Pipeline pipeline, MetricsStreamsApp app, List<Map<String, Object>> sent) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertAgreesNow(pipeline, app, sent));
    }

    private static void assertAgreesNow(Pipeline pipeline, MetricsStreamsApp app, List<Map<String, Object>> sent)
            throws Exception {
        for (Map.Entry<String, Predicate<Map<String, Object>>> query : QUERIES.entrySet()) {
            Expected expected = Expected.of(sent, query.getValue());
            for (String window : List.of("1h", "24h", "7d")) {
                JsonNode answer = pipeline.get(app, "/v1/nps?window=" + window + query.getKey());
                JsonNode body = answer.path("body");
                assertThat(answer.path("status").asInt()).as(window + query.getKey()).isEqualTo(200);
                assertThat(body.path("n").asLong()).as(window + query.getKey()).isEqualTo(expected.n());
                assertThat(body.path("promoters").asLong()).isEqualTo(expected.promoters());
                assertThat(body.path("passives").asLong()).isEqualTo(expected.passives());
                assertThat(body.path("detractors").asLong()).isEqualTo(expected.detractors());
                assertThat(body.path("nps").asDouble()).isCloseTo(expected.nps(), within(1e-9));
            }
        }
    }

    private static void awaitCounted(Pipeline pipeline, MetricsStreamsApp app, long n) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(pipeline.get(app, "/v1/nps?window=24h").path("body").path("n").asLong()).isEqualTo(n));
    }

    private static double gauge(String metrics, String name, String labels) {
        Matcher matcher = Pattern.compile("(?m)^" + name + "\\{" + Pattern.quote(labels) + "} (\\S+)$")
                .matcher(metrics);
        assertThat(matcher.find()).as(name + "{" + labels + "} in\n" + metrics).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    @Test
    void shouldAnswerExactlyWhatWasSentWithRetriesCountedOnce(LocalPlatform platform) throws Exception {
        try (Pipeline pipeline = new Pipeline(platform)) {
            MetricsStreamsApp app = pipeline.startStreams("a");
            List<Map<String, Object>> sent = Responses.nps(400, Instant.now(), 1);
            pipeline.send(sent);
            pipeline.send(Responses.retries(sent, 7));

            awaitCounted(pipeline, app, 400);
            assertAgrees(pipeline, app, sent);
            Expected all = Expected.of(sent, event -> true);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String metrics = pipeline.metrics(app);
                assertThat(gauge(metrics, "cx_nps", "channel=\"all\",segment=\"all\",window=\"1h\""))
                        .isCloseTo(all.nps(), within(1e-9));
                assertThat(gauge(metrics, "cx_nps_responses", "channel=\"all\",segment=\"all\",window=\"24h\""))
                        .isEqualTo(400.0);
                assertThat(gauge(metrics, "cx_detractor_ratio", "channel=\"all\",segment=\"all\",window=\"7d\""))
                        .isCloseTo((double) all.detractors() / 400, within(1e-9));
                Expected smbWeb = Expected.of(sent, e -> e.get("segment").equals("smb")
                        && e.get("channel").equals("WEB"));
                assertThat(gauge(metrics, "cx_nps", "channel=\"WEB\",segment=\"smb\",window=\"1h\""))
                        .isCloseTo(smbWeb.nps(), within(1e-9));
                assertThat(gauge(metrics, "cx_survey_responses_total",
                        "category=\"detractor\",channel=\"PHONE\",metric=\"NPS\",segment=\"enterprise\""))
                        .isEqualTo(Expected.of(sent, e -> e.get("segment").equals("enterprise")
                                && e.get("channel").equals("PHONE")).detractors());
            });
        }
    }

    @Test
    void shouldKeepCountsExactAcrossARestartAndARestoreFromTheChangelog(LocalPlatform platform) throws Exception {
        try (Pipeline pipeline = new Pipeline(platform)) {
            MetricsStreamsApp first = pipeline.startStreams("a");
            List<Map<String, Object>> sent = new ArrayList<>(Responses.nps(300, Instant.now(), 2));
            pipeline.send(sent);
            awaitCounted(pipeline, first, 300);
            pipeline.stop(first);

            MetricsStreamsApp restarted = pipeline.startStreams("a");
            assertAgrees(pipeline, restarted, sent);
            List<Map<String, Object>> more = Responses.nps(100, Instant.now(), 3);
            pipeline.send(more);
            pipeline.send(Responses.retries(sent, 5));
            sent.addAll(more);
            awaitCounted(pipeline, restarted, 400);
            pipeline.stop(restarted);

            MetricsStreamsApp restored = pipeline.startStreams("fresh-state-directory");
            assertAgrees(pipeline, restored, sent);

            // the restored instance knows every eventId counted before from the changelog, not only the counts
            List<Map<String, Object>> again = Responses.retries(sent, 3);
            pipeline.send(again);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    assertThat(gauge(pipeline.metrics(restored), "cx_duplicate_events_total",
                            "type=\"survey_response\"")).isEqualTo(again.size()));
            assertAgreesNow(pipeline, restored, sent);
        }
    }

    @Test
    void shouldKnowTheStreamTimeOfTasksItTakesOverBeforeTheirFirstEmit(LocalPlatform platform) throws Exception {
        try (Pipeline pipeline = new Pipeline(platform)) {
            MetricsStreamsApp first = pipeline.startStreams("a");
            List<Map<String, Object>> sent = Responses.nps(100, Instant.now().minus(Duration.ofHours(3)), 4);
            pipeline.send(sent);
            awaitCounted(pipeline, first, 100);
            pipeline.stop(first);
            // the windows' tasks read responses summed per minute, each stamped with its minute's start
            long latest = sent.stream().mapToLong(event -> Instant.parse((String) event.get("occurredAt"))
                    .truncatedTo(ChronoUnit.MINUTES).toEpochMilli()).max().orElseThrow();

            // it emits once an hour: its stream time can only come from the committed offsets of the tasks it took
            MetricsStreamsApp next = pipeline.startStreams("b", Map.of("survey.emit.interval", "PT1H"));

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    assertThat(gauge(pipeline.metrics(next), "cx_stream_time_seconds", "type=\"survey_response\""))
                            .isEqualTo(latest / 1000.0));
            awaitCounted(pipeline, next, 100);
        }
    }

    @Test
    void shouldAnswerTheSameFromEitherOfTwoInstances(LocalPlatform platform) throws Exception {
        try (Pipeline pipeline = new Pipeline(platform)) {
            MetricsStreamsApp one = pipeline.startStreams("one");
            MetricsStreamsApp two = pipeline.startStreams("two");
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    one.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING
                            && two.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING);
            List<Map<String, Object>> sent = Responses.nps(300, Instant.now(), 4);
            pipeline.send(sent);

            awaitCounted(pipeline, one, 300);
            awaitCounted(pipeline, two, 300);
            assertAgrees(pipeline, one, sent);
            assertAgrees(pipeline, two, sent);
        }
    }
}
