package io.cxpulse.streams.friction;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.cxpulse.avro.Channel;
import io.cxpulse.avro.CxAlert;
import io.cxpulse.avro.DeadLetter;
import io.cxpulse.avro.FrictionAggregate;
import io.cxpulse.avro.FrictionSignal;
import io.cxpulse.avro.Outcome;
import io.cxpulse.avro.SurveyMetric;
import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.avro.TicketEvent;
import io.cxpulse.avro.TicketEventType;
import io.cxpulse.avro.TicketPriority;
import io.cxpulse.avro.TouchpointEvent;
import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.schemas.contract.CxTopic;
import io.cxpulse.schemas.registry.SchemaRegistryClient;
import io.cxpulse.schemas.serde.AvroSerializer;
import io.cxpulse.streams.TestDrivers;
import io.cxpulse.streams.survey.ScoreHistogram;
import io.cxpulse.streams.survey.SurveyObserver;
import io.cxpulse.streams.survey.SurveySettings;
import io.cxpulse.streams.survey.SurveyTopology;
import io.cxpulse.streams.ticket.TicketBucket;
import io.cxpulse.streams.ticket.TicketObserver;
import io.cxpulse.streams.ticket.TicketSettings;
import io.cxpulse.streams.ticket.TicketTopology;
import io.cxpulse.streams.topic.Topics;
import io.cxpulse.streams.window.BucketWindows;
import io.cxpulse.streams.window.RollingWindow;

import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * The whole application's topology (surveys, tickets and friction, as the app composes them) in a
 * {@link TopologyTestDriver}, with Avro serdes on the run's real schema registry: pipes touchpoints, NPS responses
 * and ticket openings in, and sums the friction buckets.
 */
final class FrictionDriver implements AutoCloseable {
    private final TopologyTestDriver driver;
    private final TestDrivers drivers;
    private final TestInputTopic<String, TouchpointEvent> touchpoints;
    private final TestInputTopic<String, SurveyResponse> responses;
    private final TestInputTopic<String, TicketEvent> tickets;
    private final TestOutputTopic<String, CxAlert> alerts;
    private final TestOutputTopic<String, FrictionAggregate> aggregates;
    private final Map<String, FrictionAggregate> latestAggregates = new HashMap<>();
    private final TestOutputTopic<String, DeadLetter> deadLetters;

    FrictionDriver(LocalPlatform platform, FrictionSettings settings) {
        this(platform, settings, FrictionObserver.NONE);
    }

    FrictionDriver(LocalPlatform platform, FrictionSettings settings, FrictionObserver observer) {
        SchemaRegistryClient registry = SchemaRegistryClient.forUrl(platform.schemaRegistryUrl());
        Map<String, Object> serde = Map.of("schema.registry.url", platform.schemaRegistryUrl());
        Topics topics = Topics.create(registry, serde);
        StreamsBuilder builder = new StreamsBuilder();
        FrictionTopology.build(builder, topics, settings, observer,
                SurveyTopology.build(builder, topics, SurveySettings.defaults(), SurveyObserver.NONE),
                TicketTopology.build(builder, topics, TicketSettings.defaults(), TicketObserver.NONE));
        drivers = new TestDrivers(builder.build(), "friction-topology-test", Instant.parse("2026-11-20T00:00:00Z"));
        driver = drivers.driver();
        touchpoints = driver.createInputTopic(CxTopic.TOUCHPOINTS.defaultName(), new StringSerializer(),
                new AvroSerializer<>(registry, serde, false));
        responses = driver.createInputTopic(CxTopic.SURVEY_RESPONSES.defaultName(), new StringSerializer(),
                new AvroSerializer<>(registry, serde, false));
        tickets = driver.createInputTopic(CxTopic.TICKET_EVENTS.defaultName(), new StringSerializer(),
                new AvroSerializer<>(registry, serde, false));
        alerts = driver.createOutputTopic(CxTopic.ALERTS.defaultName(), new StringDeserializer(),
                topics.alerts().valueSerde().deserializer());
        aggregates = driver.createOutputTopic(CxTopic.FRICTION_AGGREGATES.defaultName(), new StringDeserializer(),
                topics.frictionAggregates().valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(CxTopic.DEAD_LETTER.defaultName(), new StringDeserializer(),
                topics.deadLetters().valueSerde().deserializer());
    }

    /** 2026-11-20 at {@code time} (HH:mm), UTC. */
    static Instant at(String time) {
        return Instant.parse("2026-11-20T" + time + ":00Z");
    }

    static TouchpointEvent.Builder touch(String customer, Channel channel, String step, Outcome outcome,
            Instant at, FrictionSignal... signals) {
        return TouchpointEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(at)
                .setReceivedAt(at.plusSeconds(1)).setSource("test").setCustomerId(customer).setChannel(channel)
                .setTouchpoint(step).setOutcome(outcome).setFrictionSignals(List.of(signals));
    }

    void send(TouchpointEvent event) {
        sendKeyed(event.getCustomerId(), event);
    }

    void sendKeyed(String key, TouchpointEvent event) {
        drivers.readAt(event.getReceivedAt());
        touchpoints.pipeInput(key, event, event.getReceivedAt());
    }

    void nps(String customer, int score, Instant at) {
        nps(customer, score, at, at.plusSeconds(1));
    }

    /** An NPS response at {@code at}, received (and read) at {@code received}. */
    void nps(String customer, int score, Instant at, Instant received) {
        SurveyResponse response = SurveyResponse.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(at).setReceivedAt(received).setSource("test").setCustomerId(customer)
                .setSurveyId("nps").setMetric(SurveyMetric.NPS).setScore(score).build();
        drivers.readAt(response.getReceivedAt());
        responses.pipeInput(customer, response, response.getReceivedAt());
    }

    /** An NPS response, received (and read) at its {@code receivedAt}. */
    void send(SurveyResponse response) {
        drivers.readAt(response.getReceivedAt());
        responses.pipeInput(response.getCustomerId(), response, response.getReceivedAt());
    }

    /** A ticket event, keyed by its ticket, received (and read) at its {@code receivedAt}. */
    void send(TicketEvent event) {
        drivers.readAt(event.getReceivedAt());
        tickets.pipeInput(event.getTicketId(), event, event.getReceivedAt());
    }

    void ticketOpened(String customer, Instant at) {
        String ticketId = "t-" + UUID.randomUUID();
        TicketEvent event = TicketEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(at)
                .setReceivedAt(at.plusSeconds(1)).setSource("test").setCustomerId(customer).setTicketId(ticketId)
                .setType(TicketEventType.OPENED).setPriority(TicketPriority.NORMAL).build();
        drivers.readAt(event.getReceivedAt());
        tickets.pipeInput(ticketId, event, event.getReceivedAt());
    }

    /**
     * Lets wall-clock time pass, so that counts cross to their touchpoints' tasks (every 100 ms), and windows emit
     * and alerts are evaluated (every second).
     */
    void tick() {
        drivers.advance(Duration.ofMillis(100));
        drivers.advance(Duration.ofMillis(900));
    }

    List<CxAlert> alerts() {
        tick();
        return alerts.readValuesToList();
    }

    /** The latest aggregate of each key ({@code CHANNEL|step|window}) written so far, after a tick. */
    Map<String, FrictionAggregate> aggregates() {
        tick();
        latestAggregates.putAll(aggregates.readKeyValuesToMap());
        return latestAggregates;
    }

    List<DeadLetter> deadLetters() {
        return deadLetters.readValuesToList();
    }

    /** The sum of {@code touchpoint}'s buckets in {@code window} at {@code at}, after a tick. */
    FrictionBucket window(Channel channel, String step, RollingWindow window, Instant at) {
        tick();
        ReadOnlyWindowStore<String, FrictionBucket> store = driver.getWindowStore(
                FrictionTopology.bucketStore(window.bucket()));
        return BucketWindows.sum(store, new Touchpoint(channel, step).key(), window, window.end(at.toEpochMilli()),
                FrictionBucket.empty());
    }

    /** The NPS histogram of all responses in {@code window} at {@code at}, from the survey buckets, after a tick. */
    ScoreHistogram nps(RollingWindow window, Instant at) {
        tick();
        ReadOnlyWindowStore<String, ScoreHistogram> store = driver.getWindowStore(window.bucket().store());
        return BucketWindows.sum(store, "NPS|all", window, window.end(at.toEpochMilli()),
                ScoreHistogram.empty(SurveyMetric.NPS));
    }

    /** The sum of every ticket cell's buckets in {@code window} at {@code at}, after a tick. */
    TicketBucket ticketWindow(RollingWindow window, Instant at) {
        tick();
        ReadOnlyWindowStore<String, TicketBucket> store = driver.getWindowStore(TicketTopology.bucketStore(
                window.bucket()));
        long end = window.end(at.toEpochMilli());
        TicketBucket sum = TicketBucket.empty();
        try (KeyValueIterator<Windowed<String>, TicketBucket> all = store.fetchAll(
                Instant.ofEpochMilli(end - window.length().toMillis()),
                Instant.ofEpochMilli(end - window.bucket().size().toMillis()))) {
            all.forEachRemaining(entry -> sum.addAll(entry.value));
        }
        return sum;
    }

    @Override
    public void close() {
        drivers.close();
    }
}
