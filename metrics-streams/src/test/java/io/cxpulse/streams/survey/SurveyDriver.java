package io.cxpulse.streams.survey;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.cxpulse.avro.Channel;
import io.cxpulse.avro.CxAlert;
import io.cxpulse.avro.DeadLetter;
import io.cxpulse.avro.SurveyAggregate;
import io.cxpulse.avro.SurveyMetric;
import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.schemas.contract.CxTopic;
import io.cxpulse.schemas.registry.SchemaRegistryClient;
import io.cxpulse.schemas.serde.AvroSerializer;
import io.cxpulse.streams.TestDrivers;
import io.cxpulse.streams.topic.Topics;
import io.cxpulse.streams.window.BucketWindows;
import io.cxpulse.streams.window.RollingWindow;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * The survey topology in a {@link TopologyTestDriver}, with Avro serdes on the run's real schema registry: pipes
 * responses (or raw bytes) in, reads aggregates, alerts and dead letters out.
 */
final class SurveyDriver implements AutoCloseable {
    /**
     * The tests' first event time: well in the past, so that no test time (up to 40 days on) is ahead of the real
     * clock, which the timestamp extractor holds event times to.
     */
    static final Instant T0 = Instant.parse("2026-09-01T10:00:00Z");

    private final TestDrivers drivers;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, SurveyResponse> responses;
    private final TestInputTopic<String, byte[]> raw;
    private final TestOutputTopic<String, SurveyAggregate> aggregates;
    private final TestOutputTopic<String, CxAlert> alerts;
    private final TestOutputTopic<String, DeadLetter> deadLetters;
    private final Map<String, SurveyAggregate> latest = new LinkedHashMap<>();

    SurveyDriver(LocalPlatform platform, SurveySettings settings, SurveyObserver observer) {
        SchemaRegistryClient registry = SchemaRegistryClient.forUrl(platform.schemaRegistryUrl());
        Map<String, Object> serde = Map.of("schema.registry.url", platform.schemaRegistryUrl());
        Topics topics = Topics.create(registry, serde);
        StreamsBuilder builder = new StreamsBuilder();
        SurveyTopology.build(builder, topics, settings, observer);
        drivers = new TestDrivers(builder.build(), "survey-topology-test", T0);
        driver = drivers.driver();
        AvroSerializer<SurveyResponse> values = new AvroSerializer<>(registry, serde, false);
        responses = driver.createInputTopic(CxTopic.SURVEY_RESPONSES.defaultName(), new StringSerializer(), values);
        raw = driver.createInputTopic(CxTopic.SURVEY_RESPONSES.defaultName(), new StringSerializer(),
                new ByteArraySerializer());
        aggregates = driver.createOutputTopic(CxTopic.SURVEY_AGGREGATES.defaultName(), new StringDeserializer(),
                topics.surveyAggregates().valueSerde().deserializer());
        alerts = driver.createOutputTopic(CxTopic.ALERTS.defaultName(), new StringDeserializer(),
                topics.alerts().valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(CxTopic.DEAD_LETTER.defaultName(), new StringDeserializer(),
                topics.deadLetters().valueSerde().deserializer());
    }

    /** A valid response; its Kafka timestamp is its receipt, a few seconds after it occurred. */
    static SurveyResponse.Builder response(SurveyMetric metric, int score, Instant occurredAt) {
        return SurveyResponse.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(occurredAt)
                .setReceivedAt(occurredAt.plusSeconds(2)).setSource("test").setCustomerId("c-" + score)
                .setSurveyId("s-1").setMetric(metric).setScore(score);
    }

    static SurveyResponse nps(int score, Instant occurredAt) {
        return response(SurveyMetric.NPS, score, occurredAt).build();
    }

    static SurveyResponse nps(int score, Instant occurredAt, String segment, Channel channel, String touchpoint) {
        return response(SurveyMetric.NPS, score, occurredAt).setSegment(segment).setChannel(channel)
                .setTouchpoint(touchpoint).build();
    }

    void send(SurveyResponse response) {
        drivers.readAt(response.getReceivedAt());
        responses.pipeInput(response.getCustomerId(), response, response.getReceivedAt());
    }

    void send(List<SurveyResponse> batch) {
        batch.forEach(this::send);
    }

    void sendRaw(String key, byte[] value, Instant timestamp) {
        drivers.readAt(timestamp);
        raw.pipeInput(key, value, timestamp);
    }

    /**
     * Lets wall-clock time pass, so that the sums of new responses cross to their keys' tasks, and those emit what
     * changed.
     */
    void tick() {
        drivers.advance(Duration.ofMillis(100));
        drivers.advance(Duration.ofMillis(900));
    }

    /** The latest aggregate emitted for each key (METRIC|dimension|window), after a tick. */
    Map<String, SurveyAggregate> aggregates() {
        tick();
        aggregates.readKeyValuesToList().forEach(kv -> latest.put(kv.key, kv.value));
        return latest;
    }

    SurveyAggregate aggregate(String key) {
        return aggregates().get(key);
    }

    List<CxAlert> alerts() {
        tick();
        return alerts.readValuesToList();
    }

    List<DeadLetter> deadLetters() {
        return deadLetters.readValuesToList();
    }

    /** The sum of one key's buckets for a window ending at {@code end}, read from the state store. */
    ScoreHistogram window(String key, SurveyMetric metric, RollingWindow window, Instant at) {
        ReadOnlyWindowStore<String, ScoreHistogram> store = driver.getWindowStore(window.bucket().store());
        return BucketWindows.sum(store, key, window, window.end(at.toEpochMilli()), ScoreHistogram.empty(metric));
    }

    /** Every response of a batch, in order. */
    static List<SurveyResponse> scores(SurveyMetric metric, Instant at, int... scores) {
        List<SurveyResponse> batch = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            batch.add(response(metric, scores[i], at.plusSeconds(i)).build());
        }
        return batch;
    }

    @Override
    public void close() {
        drivers.close();
    }
}
