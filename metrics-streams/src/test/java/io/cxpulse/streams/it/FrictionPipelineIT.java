package io.cxpulse.streams.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.cxpulse.avro.FrictionAggregate;
import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.platform.junit.LocalPlatformExtension;
import io.cxpulse.platform.junit.TopicReader;
import io.cxpulse.schemas.registry.SchemaRegistryClient;
import io.cxpulse.schemas.serde.AvroDeserializer;
import io.cxpulse.streams.MetricsStreamsApp;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Touchpoints and NPS responses sent through ingest reach metrics-streams through Kafka; its friction ranking
 * agrees with rates and lifts computed here from the events sent. Half of the responses are sent before the
 * touchpoints timestamped ahead of them, and are joined to them all the same.
 */
@ExtendWith(LocalPlatformExtension.class)
class FrictionPipelineIT {
    private static final String[] STEPS = {"plan.compare", "checkout.payment"};
    /** The chance of friction at each step; only friction at checkout.payment makes detractors. */
    private static final double[] RISK = {0.2, 0.3};

    /** What was sent at one touchpoint, counted here. */
    static final class Expected {
        long events;
        long withFriction;
        long frictionResponses;
        long frictionDetractors;
        long cleanResponses;
        long cleanDetractors;

        double frictionRate() {
            return (double) withFriction / events;
        }

        double lift() {
            return (double) frictionDetractors / frictionResponses - (double) cleanDetractors / cleanResponses;
        }
    }

    @Test
    void shouldRankTouchpointsByFrictionRateAndDetractorLiftAsComputedFromTheEventsSent(LocalPlatform platform)
            throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Random random = new Random(11);
        Map<String, Expected> expected = new HashMap<>();
        List<Map<String, Object>> touchpoints = new ArrayList<>();
        List<Map<String, Object>> responses = new ArrayList<>();
        for (int c = 0; c < 150; c++) {
            String customer = "cust-" + c;
            Instant at = now.minus(Duration.ofMinutes(50)).plusSeconds(random.nextInt(600));
            boolean metPaymentFriction = false;
            Map<String, Boolean> visited = new LinkedHashMap<>();
            for (int step = 0; step < STEPS.length; step++) {
                boolean friction = random.nextDouble() < RISK[step];
                touchpoints.add(touchpoint(customer, STEPS[step], friction, at.plusSeconds(20L * step)));
                Expected counts = expected.computeIfAbsent(STEPS[step], s -> new Expected());
                counts.events++;
                counts.withFriction += friction ? 1 : 0;
                visited.put(STEPS[step], friction);
                metPaymentFriction |= friction && step == 1;
            }
            if (random.nextDouble() < 0.8) {
                boolean detractor = random.nextDouble() < (metPaymentFriction ? 0.7 : 0.1);
                responses.add(nps(customer, detractor ? random.nextInt(7) : 9 + random.nextInt(2),
                        at.plusSeconds(120)));
                visited.forEach((step, friction) -> {
                    Expected counts = expected.get(step);
                    if (friction) {
                        counts.frictionResponses++;
                        counts.frictionDetractors += detractor ? 1 : 0;
                    } else {
                        counts.cleanResponses++;
                        counts.cleanDetractors += detractor ? 1 : 0;
                    }
                });
            }
        }

        try (Pipeline pipeline = new Pipeline(platform)) {
            MetricsStreamsApp app = pipeline.startStreams("a");
            // half of the responses before the touchpoints they follow, half after
            pipeline.send("survey-responses", responses.subList(0, responses.size() / 2));
            pipeline.send("touchpoints", touchpoints);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                JsonNode items = pipeline.get(app, "/v1/friction/top?window=1h&at=" + now).path("body").path("items");
                long events = 0;
                for (JsonNode item : items) {
                    events += item.path("events").asLong();
                }
                assertThat(events).isEqualTo(touchpoints.size());
            });
            pipeline.send("survey-responses", responses.subList(responses.size() / 2, responses.size()));

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                JsonNode byLift = pipeline.get(app, "/v1/friction/top?window=24h&by=detractorLift&at=" + now)
                        .path("body");
                assertThat(byLift.path("items")).hasSize(2);
                for (JsonNode item : byLift.path("items")) {
                    Expected counts = expected.get(item.path("touchpoint").asText());
                    assertThat(item.path("responses").path("metFriction").asLong())
                            .isEqualTo(counts.frictionResponses);
                    assertThat(item.path("responses").path("passedCleanly").asLong()).isEqualTo(counts.cleanResponses);
                    assertThat(item.path("detractorLift").asDouble()).isCloseTo(counts.lift(), within(1e-9));
                }
                assertThat(byLift.path("items").get(0).path("touchpoint").asText()).isEqualTo("checkout.payment");
                assertThat(byLift.path("items").get(0).path("liftSignificant").asBoolean()).isTrue();
            });
            // the same figures on the friction aggregates topic
            String key = "WEB|checkout.payment|24h";
            Expected atPayment = expected.get("checkout.payment");
            AvroDeserializer<FrictionAggregate> aggregates = new AvroDeserializer<>(
                    SchemaRegistryClient.forUrl(platform.schemaRegistryUrl()), FrictionAggregate.class);
            FrictionAggregate aggregate = TopicReader.read(platform.bootstrapServers(),
                            pipeline.topic("friction-aggregates"), new StringDeserializer(), aggregates,
                            records -> records.stream().anyMatch(record -> complete(record, key, atPayment)))
                    .stream().filter(record -> complete(record, key, atPayment)).findFirst().orElseThrow().value();
            assertThat(aggregate.getWithFriction()).isEqualTo(atPayment.withFriction);
            assertThat(aggregate.getFrictionDetractors()).isEqualTo(atPayment.frictionDetractors);
            assertThat(aggregate.getDetractorLift()).isCloseTo(atPayment.lift(), within(1e-9));
            assertThat(aggregate.getLiftSignificant()).isTrue();

            JsonNode byRate = pipeline.get(app, "/v1/friction/top?window=24h&at=" + now).path("body");
            double payment = expected.get("checkout.payment").frictionRate();
            String first = payment >= expected.get("plan.compare").frictionRate() ? "checkout.payment" : "plan.compare";
            assertThat(byRate.path("items").get(0).path("touchpoint").asText()).isEqualTo(first);
            for (JsonNode item : byRate.path("items")) {
                Expected counts = expected.get(item.path("touchpoint").asText());
                assertThat(item.path("events").asLong()).isEqualTo(counts.events);
                assertThat(item.path("frictionRate").asDouble()).isCloseTo(counts.frictionRate(), within(1e-9));
                assertThat(item.path("channel").asText()).isEqualTo("WEB");
            }
            assertThat(pipeline.metrics(app)).contains("cx_touchpoint_events_total{channel=\"WEB\",outcome=\"FAILED\","
                    + "touchpoint=\"checkout.payment\"}");
        }
    }

    /** Whether {@code record} is {@code key}'s aggregate with every response sent counted. */
    private static boolean complete(ConsumerRecord<String, FrictionAggregate> record, String key, Expected expected) {
        return record.key().equals(key) && record.value().getFrictionResponses() == expected.frictionResponses
                && record.value().getCleanResponses() == expected.cleanResponses
                && record.value().getEvents() == expected.events;
    }

    private static Map<String, Object> touchpoint(String customer, String step, boolean friction, Instant at) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", UUID.randomUUID().toString());
        event.put("occurredAt", at.toString());
        event.put("customerId", customer);
        event.put("channel", "WEB");
        event.put("touchpoint", step);
        event.put("journeyId", "j-" + customer);
        event.put("outcome", friction ? "FAILED" : "COMPLETED");
        event.put("frictionSignals", friction ? List.of("ERROR") : List.of());
        event.put("durationMs", 5_000);
        return event;
    }

    private static Map<String, Object> nps(String customer, int score, Instant at) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", UUID.randomUUID().toString());
        event.put("occurredAt", at.toString());
        event.put("customerId", customer);
        event.put("surveyId", "relationship-nps");
        event.put("metric", "NPS");
        event.put("score", score);
        return event;
    }
}
