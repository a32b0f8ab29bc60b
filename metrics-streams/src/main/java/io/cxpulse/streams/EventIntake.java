package io.cxpulse.streams;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.cxpulse.avro.DeadLetter;
import io.cxpulse.avro.DeadLetterReason;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The first step for every kind of event, on the input partitions: dead-letters what cannot be decoded, what
 * breaks the event contract, and what is later than the grace period; drops an event whose eventId was already
 * counted ({@link SeenEventIds}: an index of eventIds by event time, kept for the deduplication retention and made
 * durable one batch per commit); passes on the rest, each once, timestamped with its event time.
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

        /** A record sent to the dead-letter topic; LATE_EVENT ones are the late events. */
        void deadLettered(DeadLetterReason reason);
    }

    /**
     * How to read one event type.
     *
     * @param name       the processor's name, also the dead letters' {@code processor}
     * @param seenStore  the index of eventIds already counted ({@link SeenEventIds#stores} are its stores)
     * @param violation  why a decoded event under its record key breaks the contract, or null when it holds; it
     *                   must check that the eventId and occurredAt are there
     * @param eventId    the event's id
     * @param occurredAt the event's time
     */
    public record Kind<E>(String name, String seenStore, BiFunction<String, E, String> violation,
            Function<E, String> eventId, Function<E, Instant> occurredAt) {
    }

    private final Kind<E> kind;
    private final Duration grace;
    private final Observer<? super E> observer;
    private final SeenEventIds seen;
    private ProcessorContext<String, Intake<E>> context;

    public EventIntake(Kind<E> kind, Duration grace, Duration dedupRetention, int dedupIdsInMemory,
            Observer<? super E> observer) {
        this.kind = kind;
        this.grace = grace;
        this.observer = observer;
        this.seen = new SeenEventIds(kind.seenStore(), dedupRetention, dedupIdsInMemory);
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
        long streamTime = context.currentStreamTimeMs();
        if (eventTime < streamTime - grace.toMillis()) {
            reject(record, DeadLetterReason.LATE_EVENT, "occurredAt " + occurredAt + " is "
                    + Duration.ofMillis(streamTime - eventTime) + " behind stream time "
                    + Instant.ofEpochMilli(streamTime) + ", beyond the grace period of " + grace);
            return;
        }
        String eventId = kind.eventId().apply(event);
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
