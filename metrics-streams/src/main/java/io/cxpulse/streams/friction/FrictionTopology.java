package io.cxpulse.streams.friction;

import java.time.Duration;
import java.util.Map;

import io.cxpulse.avro.SurveyMetric;
import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.avro.TicketEvent;
import io.cxpulse.avro.TicketEventType;
import io.cxpulse.avro.TouchpointEvent;
import io.cxpulse.streams.intake.EventIntake;
import io.cxpulse.streams.state.PendingSums;
import io.cxpulse.streams.topic.Topics;
import io.cxpulse.streams.window.MinuteCombiner;
import io.cxpulse.streams.window.RollingWindow.Bucket;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The friction topology: touchpoints in; deduplicated, joined per customer with their recent touchpoints, NPS
 * responses and ticket openings; counted per touchpoint in minute and hour buckets; dead letters and friction
 * alerts out. Adds to a {@link StreamsBuilder} and does no I/O.
 *
 * <pre>
 * touchpoint-source (cx.touchpoints.v1, keyed by customerId, event time = occurredAt)
 *   -> touchpoint-intake [touchpoint-seen-event-ids, batches once per commit]: dead letters | fresh touchpoints
 *   merged with fresh NPS responses (survey-intake; same key, same partitions) and ticket OPENED events
 *   (rekeyed by customerId through friction-ticket-openings)
 *   -> friction-join [friction-customer-history, friction-kept-responses; recent customers held in memory and
 *      written once per commit]: counts keyed by touchpoint
 *      (CHANNEL|step); an NPS response is joined on arrival and kept for the lateness horizon, for touchpoints
 *      before it that arrive later
 *   -> friction-combine [friction-pending-counts]: summed per touchpoint and minute, sent on every 100 ms
 *   -> friction-by-touchpoint (repartition)
 *   -> friction-windows [friction-buckets-1m, friction-buckets-1h, friction-alerts]
 *   -> cx.friction-aggregates.v1 | cx.alerts.v1
 * </pre>
 * The survey and touchpoint topics must have the same number of partitions, since both are read by customerId
 * into one task (the application checks this at start).
 */
public final class FrictionTopology {
    /** Counts not yet sent to their touchpoint's task, by minute and touchpoint; part of the app's contract. */
    static final String PENDING_STORE = "friction-pending-counts";
    private static final Duration COMBINE_INTERVAL = Duration.ofMillis(100);
    /** How the intake reads touchpoints; its store names are part of the app's contract. */
    static final EventIntake.Kind<TouchpointEvent> INTAKE = new EventIntake.Kind<>("touchpoint",
            FrictionContract::violation, TouchpointEvent::getEventId, TouchpointEvent::getOccurredAt);

    private FrictionTopology() {
    }

    /** The window store of friction buckets of {@code bucket}'s size, for queries. */
    public static String bucketStore(Bucket bucket) {
        return FrictionWindows.store(bucket);
    }

    /** The store of open friction alerts. */
    public static String alertStore() {
        return FrictionWindows.ALERT_STORE;
    }

    /**
     * Adds the friction topology to {@code builder}.
     *
     * @param responses fresh survey responses, keyed as on their topic (by customerId)
     * @param tickets   fresh ticket events, keyed by ticketId
     */
    public static void build(StreamsBuilder builder, Topics topics, FrictionSettings settings,
            FrictionObserver observer, KStream<String, SurveyResponse> responses,
            KStream<String, TicketEvent> tickets) {
        FrictionJoin.addStores(builder);
        for (Bucket bucket : Bucket.values()) {
            builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(FrictionWindows.store(bucket),
                    settings.buckets().of(bucket), bucket.size(),
                    false), Serdes.String(), new FrictionBucketSerde()).withCachingEnabled());
        }
        PendingSums.addStores(builder, PENDING_STORE, new FrictionBucketSerde());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FrictionWindows.ALERT_STORE),
                Serdes.String(), topics.alerts().valueSerde()));

        KStream<String, CustomerSignal> touches = EventIntake.addTo(builder, topics.touchpoints(), INTAKE,
                        settings.intake(), observer, topics.deadLetters())
                .mapValues(fresh -> (CustomerSignal) new CustomerSignal.Touch(fresh.event()),
                        Named.as("friction-touches"));
        KStream<String, CustomerSignal> scores = responses
                .filter((key, response) -> response.getMetric() == SurveyMetric.NPS
                        && response.getCustomerId().equals(key), Named.as("friction-nps"))
                .mapValues(response -> (CustomerSignal) new CustomerSignal.Response(response),
                        Named.as("friction-responses"));
        KStream<String, CustomerSignal> openings = tickets
                .filter((key, event) -> event.getType() == TicketEventType.OPENED, Named.as("friction-opened"))
                .map((key, event) -> org.apache.kafka.streams.KeyValue.pair(event.getCustomerId(),
                        event.getOccurredAt().toEpochMilli()), Named.as("friction-by-customer"))
                .repartition(Repartitioned.<String, Long>as("friction-ticket-openings")
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                .mapValues(at -> (CustomerSignal) new CustomerSignal.Opened(at), Named.as("friction-contacts"));

        KStream<String, FrictionWindows.Emitted> out = touches.merge(scores, Named.as("friction-touches-and-scores"))
                .merge(openings, Named.as("friction-signals"))
                .process(() -> new FrictionJoin(settings, observer), Named.as(FrictionJoin.NAME),
                        FrictionJoin.stores())
                .process(() -> new MinuteCombiner<>(PENDING_STORE, FrictionBucket::empty, COMBINE_INTERVAL),
                        Named.as("friction-combine"), PendingSums.stores(PENDING_STORE))
                .repartition(Repartitioned.<String, FrictionBucket>as("friction-by-touchpoint")
                        .withKeySerde(Serdes.String()).withValueSerde(new FrictionBucketSerde()))
                .process(() -> FrictionWindows.processor(settings, observer), Named.as(FrictionWindows.NAME),
                        FrictionWindows.store(Bucket.MINUTE), FrictionWindows.store(Bucket.HOUR),
                        FrictionWindows.ALERT_STORE);
        Map<String, KStream<String, FrictionWindows.Emitted>> outputs = out.split(Named.as("friction-out-"))
                .branch((key, value) -> value instanceof FrictionWindows.AlertOut, Branched.as("alerts"))
                .defaultBranch(Branched.as("aggregates"));
        outputs.get("friction-out-alerts")
                .mapValues(value -> ((FrictionWindows.AlertOut) value).alert(), Named.as("friction-alerts"))
                .to(topics.alerts().name(), topics.alerts().produced().withName("friction-alerts-sink"));
        outputs.get("friction-out-aggregates")
                .mapValues(value -> ((FrictionWindows.AggregateOut) value).aggregate(),
                        Named.as("friction-aggregates"))
                .to(topics.frictionAggregates().name(), topics.frictionAggregates().produced()
                        .withName("friction-aggregates-sink"));
    }
}
