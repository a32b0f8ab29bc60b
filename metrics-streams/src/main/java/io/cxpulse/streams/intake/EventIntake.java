package io.cxpulse.streams.intake;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.cxpulse.avro.DeadLetter;
import io.cxpulse.avro.DeadLetterReason;
import io.cxpulse.common.LayeredConfig;
import io.cxpulse.common.Uuids;
import io.cxpulse.common.Setting;
import io.cxpulse.streams.topic.Decoded;
import io.cxpulse.streams.topic.EventTimeExtractor;
import io.cxpulse.streams.topic.Topic;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The first step for every kind of event, on the input partitions: dead-letters what cannot be decoded, what
 * breaks the event contract, what is further ahead of the clock than the clock skew allows (FUTURE_EVENT), and
 * what is further behind this input's own progress than the horizon (LATE_EVENT; see {@link Lateness}); drops an
 * event whose eventId was already counted ({@link SeenEventIds}: an index of eventIds by event time, kept for the
 * deduplication retention and made durable one batch per commit); passes on the rest, each once, timestamped with
 * its event time.
 *
 * <p>An input's progress is the latest occurredAt counted on it in the task, never the task's stream time: the
 * fresh streams of all three inputs meet in one task for the friction join, and an hourly survey export must not
 * be judged by the touchpoints' clock.
 *
 * @param <E> the event type
 */
public final class EventIntake<E> implements Processor<String, Decoded<E>, String, EventIntake.Intake<E>> {

    /** What became of an event. */
    public sealed interface Intake<E> permits Fresh, Rejected {
    }

    /**
     * An event counted for the first time, with the bytes and Kafka timestamp it had on its topic (so that a later
     * step can still dead-letter it as it was).
     */
    public record Fresh<E>(E event, byte[] raw, long kafkaTimestamp) implements Intake<E> {
    }

    /** A record for the dead-letter topic. */
    public record Rejected<E>(DeadLetter deadLetter) implements Intake<E> {
    }

    /** What the intake reports, for metrics: called on stream threads, so it must not block. */
    public interface Observer<E> {
        /** An event counted for the first time (after deduplication). */
        void counted(E event);

        /** An event whose eventId was already counted. */
        void duplicate();

        /** A record sent to the dead-letter topic. */
        void deadLettered(DeadLetterReason reason);
    }

    /**
     * How to read one event type.
     *
     * @param prefix     names the intake's nodes and stores: {@code <prefix>-source}, {@code <prefix>-intake} (also
     *                   the dead letters' {@code processor}), {@code <prefix>-seen-event-ids}
     * @param violation  why a decoded event under its record key breaks the contract, or null when it holds; it
     *                   must check that the eventId and occurredAt are there
     * @param eventId    the event's id
     * @param occurredAt the event's time
     */
    public record Kind<E>(String prefix, BiFunction<String, E, String> violation, Function<E, String> eventId,
            Function<E, Instant> occurredAt) {
        /** The intake processor's name. */
        public String name() {
            return prefix + "-intake";
        }

        /** The name of the index of eventIds already counted ({@link SeenEventIds#stores} are its stores). */
        public String seenStore() {
            return prefix + "-seen-event-ids";
        }
    }

    /**
     * The intake's settings.
     *
     * @param horizon          how far behind the input's progress an event may be and still count
     * @param maxSkew          how far ahead of the clock an event may be and still count
     * @param dedupRetention   how long an eventId is remembered, so that a retry or replay within it counts once
     * @param dedupIdsInMemory per task, how many remembered eventIds are located in memory ({@link SeenEventIds})
     */
    public record Settings(Duration horizon, Duration maxSkew, Duration dedupRetention, int dedupIdsInMemory) {
        public Settings {
            SeenEventIds.checkMaxLocated(dedupIdsInMemory);
            if (dedupRetention.compareTo(horizon) < 0) {
                throw new IllegalArgumentException("eventIds must be remembered at least as long as the lateness "
                        + "horizon (" + horizon + "), not " + dedupRetention);
            }
        }

        /**
         * The declarations of an intake's own settings, {@code <prefix>.dedup.*}; the horizon and skew are every
         * input's ({@link Lateness}).
         */
        public static Keys keys(String prefix, String events) {
            return new Keys(Setting.duration(prefix + ".dedup.retention", "P35D", "How long the eventIds of "
                            + events + " are remembered, so that a retry or replay within it counts once (at least "
                            + "the lateness horizon: `events.max.age` + `events.max.lag` + `events.max.clock.skew`)."),
                    Setting.integer(prefix + ".dedup.ids.in.memory", SeenEventIds.DEFAULT_MAX_LOCATED, 0,
                            100_000_000, "Per intake task, how many remembered eventIds are located in memory "
                                    + "(21 to 43 bytes each); past it they are indexed in RocksDB (0: always)."));
        }
    }

    /** The declarations of an intake's own settings. */
    public record Keys(Setting<Duration> dedupRetention, Setting<Integer> dedupIdsInMemory) {
        public List<Setting<?>> all() {
            return List.of(dedupRetention, dedupIdsInMemory);
        }

        /** The settings in {@code config}, with the {@link Lateness} rule there. */
        public Settings read(LayeredConfig config) {
            Lateness lateness = Lateness.from(config);
            return new Settings(lateness.horizon(), lateness.maxSkew(), dedupRetention.read(config),
                    dedupIdsInMemory.read(config));
        }
    }

    /**
     * Adds one event type's source and intake to {@code builder}: the topic read in event time, dead letters sent to
     * {@code deadLetters}. Returns the fresh events, each counted once.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <E> KStream<String, Fresh<E>> addTo(StreamsBuilder builder, Topic<String, Decoded<E>> topic,
            Kind<E> kind, Settings settings, Observer<? super E> observer, Topic<String, DeadLetter> deadLetters) {
        SeenEventIds.addStores(builder, kind.seenStore(), settings.dedupRetention());
        String prefix = kind.prefix();
        KStream<String, Intake<E>> intake = builder.stream(topic.name(), topic.consumed().withName(prefix + "-source")
                        .withTimestampExtractor(new EventTimeExtractor<>(kind.occurredAt(), settings.maxSkew())))
                .process(() -> new EventIntake<>(kind, settings, observer), Named.as(kind.name()),
                        SeenEventIds.stores(kind.seenStore()));
        Map<String, KStream<String, Intake<E>>> routes = intake.split(Named.as(prefix + "-"))
                .branch((key, value) -> value instanceof Rejected, Branched.as("rejected"))
                .defaultBranch(Branched.as("fresh"));
        routes.get(prefix + "-rejected")
                .mapValues(value -> ((Rejected<E>) value).deadLetter(), Named.as(prefix + "-dead-letters"))
                .to(deadLetters.name(), deadLetters.produced().withName(prefix + "-dead-letter-sink"));
        // only Fresh values take this branch: the stream is retyped, not mapped, so that no node is added
        return (KStream) routes.get(prefix + "-fresh");
    }

    private final Kind<E> kind;
    private final Duration horizon;
    private final Duration maxSkew;
    private final Observer<? super E> observer;
    private final SeenEventIds seen;
    private ProcessorContext<String, Intake<E>> context;

    EventIntake(Kind<E> kind, Settings settings, Observer<? super E> observer) {
        this.kind = kind;
        this.horizon = settings.horizon();
        this.maxSkew = settings.maxSkew();
        this.observer = observer;
        this.seen = new SeenEventIds(kind.seenStore(), settings.dedupRetention(), settings.dedupIdsInMemory());
    }

    @Override
    public void init(ProcessorContext<String, Intake<E>> context) {
        this.context = context;
        seen.init(context);
    }

    @Override
    public void process(Record<String, Decoded<E>> record) {
        Decoded<E> decoded = record.value();
        if (decoded == null || !decoded.ok()) {
            String cause = decoded == null ? "no value" : DeadLetters.describe(decoded.error());
            reject(record, DeadLetterReason.UNDECODABLE, cause);
            return;
        }
        E event = decoded.value();
        String violation = kind.violation().apply(record.key(), event);
        if (violation != null) {
            reject(record, DeadLetterReason.CONTRACT_VIOLATION, violation);
            return;
        }
        Instant occurredAt = kind.occurredAt().apply(event);
        long eventTime = occurredAt.toEpochMilli();
        long clock = EventTimeExtractor.clock(decoded.kafkaTimestamp(), context.currentSystemTimeMs());
        if (eventTime > clock + maxSkew.toMillis()) {
            reject(record, DeadLetterReason.FUTURE_EVENT, "occurredAt " + occurredAt + " is "
                    + Duration.ofMillis(eventTime - clock) + " ahead of the clock (" + Instant.ofEpochMilli(clock)
                    + ", the earlier of its receipt and now), beyond the allowed clock skew of " + maxSkew);
            return;
        }
        long progress = seen.progress();
        if (progress != Long.MIN_VALUE && eventTime < progress - horizon.toMillis()) {
            reject(record, DeadLetterReason.LATE_EVENT, "occurredAt " + occurredAt + " is "
                    + Duration.ofMillis(progress - eventTime) + " behind the latest " + kind.prefix()
                    + " event counted (" + Instant.ofEpochMilli(progress) + "), beyond the lateness horizon of "
                    + horizon);
            return;
        }
        String eventId = Uuids.normalize(kind.eventId().apply(event));
        if (seen.contains(eventId, eventTime)) {
            observer.duplicate();
            return;
        }
        seen.add(eventId, eventTime);
        observer.counted(event);
        context.forward(record.withValue((Intake<E>) new Fresh<>(event, decoded.raw(), decoded.kafkaTimestamp()))
                .withTimestamp(eventTime));
    }

    private void reject(Record<String, Decoded<E>> record, DeadLetterReason reason, String cause) {
        Decoded<E> decoded = record.value();
        DeadLetter deadLetter = DeadLetters.of(context, record, decoded == null ? null : decoded.raw(),
                decoded == null ? -1 : decoded.kafkaTimestamp(), reason, cause, kind.name());
        observer.deadLettered(reason);
        context.forward(record.withValue((Intake<E>) new Rejected<E>(deadLetter)));
    }
}
