package io.cxpulse.streams.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.platform.junit.LocalPlatformExtension;
import io.cxpulse.streams.MetricsStreamsApp;
import io.cxpulse.streams.friction.Touchpoint;
import io.cxpulse.streams.ticket.TicketBucket;
import io.cxpulse.streams.ticket.TicketBucketSerde;
import io.cxpulse.streams.window.RollingWindow;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The queries every instance answers in part (friction, response times), on two instances of one application:
 * asked without a time, each must answer the window that holds the latest event any instance has seen, even when
 * only the other instance's tasks have seen it.
 */
@ExtendWith(LocalPlatformExtension.class)
class GatheredQueryIT {
    private static final int KEYS = 12;

    @Test
    void shouldAnswerTheSameWindowOnEveryInstanceWhenOnlyOneHasSeenTheLatestEvents(LocalPlatform platform)
            throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant old = now.minus(Duration.ofHours(5));
        Instant newest = now.minus(Duration.ofMinutes(10));
        try (Pipeline pipeline = new Pipeline(platform)) {
            MetricsStreamsApp a = pipeline.startStreams("a");
            MetricsStreamsApp b = pipeline.startStreams("b");
            List<Map<String, Object>> touchpoints = new ArrayList<>();
            List<Map<String, Object>> tickets = new ArrayList<>();
            for (int i = 0; i < KEYS; i++) {
                touchpoints.add(touchpoint("step." + i, old));
                tickets.addAll(ticket("queue." + i, old));
            }
            pipeline.send("touchpoints", touchpoints);
            pipeline.send("ticket-events", tickets);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                for (MetricsStreamsApp app : List.of(a, b)) {
                    assertThat(events(pipeline.get(app, "/v1/friction/top?window=24h&limit=100&at=" + now)))
                            .isEqualTo(KEYS);
                    assertThat(pipeline.get(app, "/v1/response-times?window=24h&at=" + now).path("body")
                            .path("n").asLong()).isEqualTo(KEYS);
                }
            });
            // which instance holds which keys' buckets: each must hold some, so its own stream time is `old`
            Set<String> stepsOnA = steps(pipeline, a, now);
            Set<String> stepsOnB = steps(pipeline, b, now);
            Set<String> queuesOnA = queues(pipeline, a, now);
            assertThat(stepsOnA).as("touchpoints on a").isNotEmpty();
            assertThat(stepsOnB).as("touchpoints on b").isNotEmpty();
            assertThat(queuesOnA).as("queues on a").isNotEmpty().hasSizeLessThan(KEYS);

            // one later event of each kind, at keys that only a holds
            pipeline.send("touchpoints", List.of(touchpoint(stepsOnA.iterator().next(), newest)));
            pipeline.send("ticket-events", ticket(queuesOnA.iterator().next(), newest));

            String windowEnd = Instant.ofEpochMilli(RollingWindow.DAY_1.end(newest.toEpochMilli())).toString();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                for (MetricsStreamsApp app : List.of(b, a)) {
                    JsonNode friction = pipeline.get(app, "/v1/friction/top?window=24h&limit=100");
                    assertThat(friction.path("body").path("windowEnd").asText()).isEqualTo(windowEnd);
                    assertThat(events(friction)).isEqualTo(KEYS + 1);
                    JsonNode times = pipeline.get(app, "/v1/response-times?window=24h").path("body");
                    assertThat(times.path("windowEnd").asText()).isEqualTo(windowEnd);
                    assertThat(times.path("n").asLong()).isEqualTo(KEYS + 1);
                }
            });
        }
    }

    private static long events(JsonNode answer) {
        assertThat(answer.path("status").asInt()).as(answer.toString()).isEqualTo(200);
        long events = 0;
        for (JsonNode item : answer.path("body").path("items")) {
            events += item.path("events").asLong();
        }
        return events;
    }

    /** The touchpoints whose buckets {@code app} holds, from its part of a gathered query. */
    private static Set<String> steps(Pipeline pipeline, MetricsStreamsApp app, Instant at) throws Exception {
        JsonNode part = pipeline.get(app, "/v1/friction/top?forwarded=true&window=24h&at=" + at).path("body");
        Set<String> steps = new TreeSet<>();
        part.path("partial").fieldNames().forEachRemaining(key -> steps.add(Touchpoint.parse(key).step()));
        return steps;
    }

    /** The queues whose buckets {@code app} holds, asked queue by queue for its part of a gathered query. */
    private static Set<String> queues(Pipeline pipeline, MetricsStreamsApp app, Instant at) throws Exception {
        TicketBucketSerde serde = new TicketBucketSerde();
        Set<String> queues = new TreeSet<>();
        for (int i = 0; i < KEYS; i++) {
            JsonNode part = pipeline.get(app, "/v1/response-times?forwarded=true&window=24h&queue=queue." + i
                    + "&at=" + at).path("body");
            TicketBucket sum = serde.deserializer().deserialize("", Base64.getDecoder().decode(
                    part.path("partial").asText()));
            if (sum.resolved() > 0) {
                queues.add("queue." + i);
            }
        }
        return queues;
    }

    private static Map<String, Object> touchpoint(String step, Instant at) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", UUID.randomUUID().toString());
        event.put("occurredAt", at.toString());
        event.put("customerId", "cust-" + UUID.randomUUID());
        event.put("channel", "WEB");
        event.put("touchpoint", step);
        event.put("outcome", "COMPLETED");
        event.put("frictionSignals", List.of());
        return event;
    }

    /** A ticket of {@code queue} opened an hour before {@code resolved}, answered after 10 minutes. */
    private static List<Map<String, Object>> ticket(String queue, Instant resolved) {
        String ticketId = "t-" + UUID.randomUUID();
        List<Map<String, Object>> events = new ArrayList<>();
        Instant opened = resolved.minus(Duration.ofHours(1));
        Map<String, Instant> steps = new LinkedHashMap<>();
        steps.put("OPENED", opened);
        steps.put("AGENT_REPLIED", opened.plus(Duration.ofMinutes(10)));
        steps.put("RESOLVED", resolved);
        steps.forEach((type, at) -> {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("eventId", UUID.randomUUID().toString());
            event.put("occurredAt", at.toString());
            event.put("customerId", "cust-" + ticketId);
            event.put("channel", "EMAIL");
            event.put("ticketId", ticketId);
            event.put("type", type);
            event.put("priority", "NORMAL");
            event.put("queue", queue);
            events.add(event);
        });
        return events;
    }
}
