package io.cxpulse.streams.ticket;

import java.util.Map;

import io.cxpulse.avro.TicketEvent;
import io.cxpulse.streams.intake.EventIntake;
import io.cxpulse.streams.intake.EventIntake.Fresh;
import io.cxpulse.streams.ticket.TicketLifecycleProcessor.AlertOut;
import io.cxpulse.streams.ticket.TicketLifecycleProcessor.DeadOut;
import io.cxpulse.streams.ticket.TicketLifecycleProcessor.DurationOut;
import io.cxpulse.streams.ticket.TicketLifecycleProcessor.Out;
import io.cxpulse.streams.topic.Topics;
import io.cxpulse.streams.window.RollingWindow.Bucket;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The ticket topology: ticket events in; deduplicated, built into per-ticket state, settled into durations when
 * they are final, bucketed by cell; aggregates, dead letters and first-response alerts out. Adds to a
 * {@link StreamsBuilder} and does no I/O.
 *
 * <pre>
 * ticket-source (cx.ticket-events.v1, keyed by ticketId, event time = occurredAt)
 *   -> ticket-intake [ticket-seen-event-ids, batches once per commit]: dead letters | fresh events
 *   -> ticket-lifecycle [ticket-lifecycles, ticket-due, ticket-awaiting]: per-ticket state; final durations keyed
 *      by cell (CHANNEL|PRIORITY|=queue) | IMPOSSIBLE_SEQUENCE dead letters | first-response alerts
 *   -> ticket-by-cell (repartition: each cell's buckets live in one task)
 *   -> ticket-windows [ticket-durations-1m, ticket-durations-1h] -> cx.ticket-aggregates.v1
 * </pre>
 */
public final class TicketTopology {
    /** How the intake reads ticket events; its store names are part of the app's contract. */
    static final EventIntake.Kind<TicketEvent> INTAKE = new EventIntake.Kind<>("ticket", TicketContract::violation,
            TicketEvent::getEventId, TicketEvent::getOccurredAt);

    private TicketTopology() {
    }

    /** The window store of duration buckets of {@code bucket}'s size, for queries. */
    public static String bucketStore(Bucket bucket) {
        return TicketWindows.store(bucket);
    }

    /** Adds the ticket topology to {@code builder}; returns the fresh ticket events (deduplicated, in contract). */
    public static KStream<String, TicketEvent> build(StreamsBuilder builder, Topics topics, TicketSettings settings,
            TicketObserver observer) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(
                TicketLifecycleProcessor.TICKETS_STORE), Serdes.String(), new TicketLifecycleSerde())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(
                TicketLifecycleProcessor.DUE_STORE), Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(
                TicketLifecycleProcessor.AWAITING_STORE), Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(TicketWindows.store(
                Bucket.MINUTE), settings.buckets().minute(), Bucket.MINUTE.size(), false), Serdes.String(),
                new TicketBucketSerde()).withCachingEnabled());
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(TicketWindows.store(
                Bucket.HOUR), settings.buckets().hour(), Bucket.HOUR.size(), false), Serdes.String(),
                new TicketBucketSerde()).withCachingEnabled());

        KStream<String, Fresh<TicketEvent>> fresh = EventIntake.addTo(builder, topics.ticketEvents(), INTAKE,
                settings.intake(), observer, topics.deadLetters());
        KStream<String, Out> states = fresh
                .process(() -> new TicketLifecycleProcessor(settings, observer),
                        Named.as(TicketLifecycleProcessor.NAME), TicketLifecycleProcessor.TICKETS_STORE,
                        TicketLifecycleProcessor.DUE_STORE, TicketLifecycleProcessor.AWAITING_STORE);
        Map<String, KStream<String, Out>> outputs = states.split(Named.as("ticket-out-"))
                .branch((key, value) -> value instanceof DeadOut, Branched.as("refused"))
                .branch((key, value) -> value instanceof AlertOut, Branched.as("alerts"))
                .defaultBranch(Branched.as("durations"));
        outputs.get("ticket-out-refused")
                .mapValues(value -> ((DeadOut) value).deadLetter(), Named.as("ticket-refused"))
                .to(topics.deadLetters().name(), topics.deadLetters().produced()
                        .withName("ticket-refused-sink"));
        outputs.get("ticket-out-alerts")
                .mapValues(value -> ((AlertOut) value).alert(), Named.as("ticket-alerts"))
                .to(topics.alerts().name(), topics.alerts().produced().withName("ticket-alerts-sink"));
        outputs.get("ticket-out-durations")
                .mapValues(value -> ((DurationOut) value).bucket(), Named.as("ticket-durations"))
                .repartition(Repartitioned.<String, TicketBucket>as("ticket-by-cell")
                        .withKeySerde(Serdes.String()).withValueSerde(new TicketBucketSerde()))
                .process(() -> TicketWindows.processor(settings, observer), Named.as(TicketWindows.NAME),
                        TicketWindows.store(Bucket.MINUTE), TicketWindows.store(Bucket.HOUR))
                .to(topics.ticketAggregates().name(), topics.ticketAggregates().produced()
                        .withName("ticket-aggregates-sink"));
        return fresh.mapValues(Fresh::event, Named.as("ticket-fresh-events"));
    }
}
