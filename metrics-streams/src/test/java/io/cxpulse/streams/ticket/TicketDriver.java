package io.cxpulse.streams.ticket;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.cxpulse.avro.Channel;
import io.cxpulse.avro.CxAlert;
import io.cxpulse.avro.DeadLetter;
import io.cxpulse.avro.DeadLetterReason;
import io.cxpulse.avro.TicketAggregate;
import io.cxpulse.avro.TicketEvent;
import io.cxpulse.avro.TicketEventType;
import io.cxpulse.avro.TicketPriority;
import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.schemas.contract.CxTopic;
import io.cxpulse.schemas.registry.SchemaRegistryClient;
import io.cxpulse.schemas.serde.AvroSerializer;
import io.cxpulse.streams.TestDrivers;
import io.cxpulse.streams.ticket.TicketLifecycle.Settled;
import io.cxpulse.streams.topic.Topics;
import io.cxpulse.streams.window.BucketWindows;
import io.cxpulse.streams.window.RollingWindow;

import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The ticket topology in a {@link TopologyTestDriver}, with Avro serdes on the run's real schema registry: pipes
 * ticket events in, reads dead letters and alerts out, sums the duration buckets, and records what the topology
 * reports to its observer.
 */
final class TicketDriver implements AutoCloseable {
    /**
     * The tests' day: well in the past, so that no test time (up to 40 days on) is ahead of the real clock, which the
     * timestamp extractor holds event times to.
     */
    static final Instant DAY = Instant.parse("2026-09-01T00:00:00Z");

    private final TopologyTestDriver driver;
    private final TestDrivers drivers;
    private final AvroSerializer<TicketEvent> values;
    private final TestInputTopic<String, TicketEvent> events;
    private final TestOutputTopic<String, CxAlert> alerts;
    private final TestOutputTopic<String, TicketAggregate> aggregates;
    private final Map<String, TicketAggregate> latestAggregates = new HashMap<>();
    private final TestOutputTopic<String, DeadLetter> deadLetters;
    final Recorder observer = new Recorder();

    TicketDriver(LocalPlatform platform, TicketSettings settings) {
        SchemaRegistryClient registry = SchemaRegistryClient.forUrl(platform.schemaRegistryUrl());
        Map<String, Object> serde = Map.of("schema.registry.url", platform.schemaRegistryUrl());
        Topics topics = Topics.create(registry, serde);
        StreamsBuilder builder = new StreamsBuilder();
        TicketTopology.build(builder, topics, settings, observer);
        drivers = new TestDrivers(builder.build(), "ticket-topology-test", DAY);
        driver = drivers.driver();
        values = new AvroSerializer<>(registry, serde, false);
        events = driver.createInputTopic(CxTopic.TICKET_EVENTS.defaultName(), new StringSerializer(), values);
        alerts = driver.createOutputTopic(CxTopic.ALERTS.defaultName(), new StringDeserializer(),
                topics.alerts().valueSerde().deserializer());
        aggregates = driver.createOutputTopic(CxTopic.TICKET_AGGREGATES.defaultName(), new StringDeserializer(),
                topics.ticketAggregates().valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(CxTopic.DEAD_LETTER.defaultName(), new StringDeserializer(),
                topics.deadLetters().valueSerde().deserializer());
    }

    /** {@link #DAY} at {@code time} (HH:mm), UTC. */
    static Instant at(String time) {
        return Instant.parse("2026-09-01T" + time + ":00Z");
    }

    static TicketEvent.Builder event(String ticketId, TicketEventType type, Instant occurredAt) {
        return TicketEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(occurredAt)
                .setReceivedAt(occurredAt.plusSeconds(1)).setSource("test").setCustomerId("c-" + ticketId)
                .setTicketId(ticketId).setType(type).setPriority(TicketPriority.NORMAL).setChannel(Channel.CHAT)
                .setQueue("billing");
    }

    static TicketEvent event(String ticketId, TicketEventType type, String time) {
        return event(ticketId, type, at(time)).build();
    }

    void send(TicketEvent event) {
        send(event.getTicketId(), event);
    }

    void send(String key, TicketEvent event) {
        drivers.readAt(event.getReceivedAt());
        events.pipeInput(new TestRecord<>(key, event, event.getReceivedAt()));
    }

    void send(List<TicketEvent> batch) {
        batch.forEach(this::send);
    }

    /** The bytes a ticket event has on the topic. */
    byte[] bytes(TicketEvent event) {
        return values.serialize(CxTopic.TICKET_EVENTS.defaultName(), event);
    }

    /**
     * Moves stream time to {@code time} with the OPENED of an unrelated LOW ticket on channel OTHER (which tests
     * leave out of what they check), then lets wall-clock time pass.
     */
    void streamTimeTo(Instant time) {
        send(event("clock-" + time.toEpochMilli(), TicketEventType.OPENED, time).setPriority(TicketPriority.LOW)
                .setChannel(Channel.OTHER).setQueue(null).build());
        tick();
    }

    /** Lets wall-clock time pass, so that due tickets settle and windows emit. */
    void tick() {
        drivers.advance(Duration.ofSeconds(1));
    }

    /** The latest aggregate of each key ({@code cell|window}) written so far, after a tick. */
    Map<String, TicketAggregate> aggregates() {
        tick();
        latestAggregates.putAll(aggregates.readKeyValuesToMap());
        return latestAggregates;
    }

    List<CxAlert> alerts() {
        return alerts.readValuesToList();
    }

    List<TestRecord<String, DeadLetter>> deadLetters() {
        return deadLetters.readRecordsToList();
    }

    /** The sum of the buckets of every cell in {@code window} at {@code at}. */
    TicketBucket window(RollingWindow window, Instant at) {
        TicketBucket sum = TicketBucket.empty();
        long end = window.end(at.toEpochMilli());
        var store = driver.<String, TicketBucket>getWindowStore(TicketTopology.bucketStore(window.bucket()));
        for (String cell : cells()) {
            BucketWindows.sum(store, cell, window, end, sum);
        }
        return sum;
    }

    private List<String> cells() {
        List<String> cells = new ArrayList<>();
        var store = driver.<String, TicketBucket>getWindowStore(TicketTopology.bucketStore(
                RollingWindow.Bucket.HOUR));
        try (var all = store.all()) {
            all.forEachRemaining(entry -> {
                if (!cells.contains(entry.key.key())) {
                    cells.add(entry.key.key());
                }
            });
        }
        return cells;
    }

    @Override
    public void close() {
        drivers.close();
    }

    /** Records what the topology reports. */
    static final class Recorder implements TicketObserver {
        final List<Settled> settled = new ArrayList<>();
        final List<Settled> retracted = new ArrayList<>();
        final List<TicketPriority> breaches = new ArrayList<>();
        final Map<DeadLetterReason, Integer> deadLettered = new EnumMap<>(DeadLetterReason.class);
        final Map<String, Map<TicketPriority, long[]>> backlog = new ConcurrentHashMap<>();
        int counted;
        int duplicates;

        @Override
        public void counted(TicketEvent event) {
            counted++;
        }

        @Override
        public void duplicate() {
            duplicates++;
        }

        @Override
        public void deadLettered(DeadLetterReason reason) {
            deadLettered.merge(reason, 1, Integer::sum);
        }

        @Override
        public void settled(Settled settled) {
            this.settled.add(settled);
        }

        @Override
        public void retracted(Settled retracted) {
            this.retracted.add(retracted);
        }

        @Override
        public void breached(TicketPriority priority) {
            breaches.add(priority);
        }

        @Override
        public void backlog(String task, Map<TicketPriority, long[]> counts) {
            backlog.put(task, counts);
        }

        @Override
        public void window(String task, TicketCell cell, RollingWindow window, long windowEnd, TicketBucket sum) {
        }

        @Override
        public void streamTime(String task, long streamTime) {
        }

        @Override
        public void closed(String task) {
        }

        /** The backlog of {@code priority} in age bucket {@code age}, over every task. */
        long backlog(TicketPriority priority, BacklogAge age) {
            return backlog.values().stream().mapToLong(counts -> counts.containsKey(priority)
                    ? counts.get(priority)[age.ordinal()] : 0).sum();
        }
    }
}
