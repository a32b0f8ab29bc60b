package io.cxpulse.streams.survey;

import java.time.Duration;
import java.time.Instant;

import io.cxpulse.avro.DeadLetter;
import io.cxpulse.avro.DeadLetterReason;
import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.streams.DeadLetters;
import io.cxpulse.streams.Decoded;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The first step for survey responses, on the input partitions: dead-letters what cannot be decoded, what breaks
 * the event contract, and what is later than the grace period; drops a response whose eventId was already
 * counted; passes on the rest, each once.
 */
final class SurveyIntake implements Processor<String, Decoded<SurveyResponse>, String, SurveyIntake.Intake> {
    /** The store of eventIds already counted, by event time; its name is part of the app's contract. */
    static final String SEEN_STORE = "survey-seen-event-ids";
    static final String NAME = "survey-intake";

    /** What became of a response. */
    sealed interface Intake permits Fresh, Rejected {
    }

    /** A response counted for the first time. */
    record Fresh(SurveyResponse response) implements Intake {
    }

    /** A record for the dead-letter topic. */
    record Rejected(DeadLetter deadLetter) implements Intake {
    }

    private final SurveySettings settings;
    private final SurveyObserver observer;
    private ProcessorContext<String, Intake> context;
    private WindowStore<String, Long> seen;

    SurveyIntake(SurveySettings settings, SurveyObserver observer) {
        this.settings = settings;
        this.observer = observer;
    }

    @Override
    public void init(ProcessorContext<String, Intake> context) {
        this.context = context;
        this.seen = context.getStateStore(SEEN_STORE);
    }

    @Override
    public void process(Record<String, Decoded<SurveyResponse>> record) {
        Decoded<SurveyResponse> decoded = record.value();
        if (decoded == null || !decoded.ok()) {
            String cause = decoded == null ? "no value" : DeadLetters.describe(decoded.error());
            reject(record, DeadLetterReason.UNDECODABLE, cause);
            return;
        }
        SurveyResponse response = decoded.value();
        String violation = SurveyContract.violation(response);
        if (violation != null) {
            reject(record, DeadLetterReason.CONTRACT_VIOLATION, violation);
            return;
        }
        long eventTime = response.getOccurredAt().toEpochMilli();
        long streamTime = context.currentStreamTimeMs();
        if (eventTime < streamTime - settings.grace().toMillis()) {
            reject(record, DeadLetterReason.LATE_EVENT, "occurredAt " + response.getOccurredAt() + " is "
                    + Duration.ofMillis(streamTime - eventTime) + " behind stream time "
                    + Instant.ofEpochMilli(streamTime)
                    + ", beyond the grace period of " + settings.grace());
            return;
        }
        if (alreadySeen(response.getEventId(), eventTime)) {
            observer.duplicate();
            return;
        }
        seen.put(response.getEventId(), eventTime, eventTime);
        observer.counted(response);
        context.forward(record.withValue((Intake) new Fresh(response)).withTimestamp(eventTime));
    }

    private boolean alreadySeen(String eventId, long eventTime) {
        long retention = settings.dedupRetention().toMillis();
        try (WindowStoreIterator<Long> earlier = seen.fetch(eventId, Math.max(0, eventTime - retention),
                eventTime + retention)) {
            return earlier.hasNext();
        }
    }

    private void reject(Record<String, Decoded<SurveyResponse>> record, DeadLetterReason reason, String cause) {
        Decoded<SurveyResponse> decoded = record.value();
        DeadLetter deadLetter = DeadLetters.of(context, record, decoded == null ? null : decoded.raw(),
                decoded == null ? -1 : decoded.kafkaTimestamp(), reason, cause, NAME);
        observer.deadLettered(reason);
        context.forward(record.withValue((Intake) new Rejected(deadLetter)));
    }
}
