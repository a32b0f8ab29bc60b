package io.cxpulse.streams.survey;

import java.util.ArrayList;
import java.util.List;

import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.streams.survey.SurveyIntake.Fresh;
import io.cxpulse.streams.survey.SurveyIntake.Intake;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Adds up fresh responses per dimension key and minute on the input partitions, and every
 * {@code combineInterval} sends each sum on as one record (key: the dimension key; timestamp: the minute's
 * start; value: the histogram of that minute's new responses). Without it, every response would cross the
 * repartition topic once per dimension; with it, each key crosses once per minute it has news for. The pending
 * sums live in a logged store, so they are exactly as durable as the input offsets they account for.
 */
final class SurveyCombiner implements Processor<String, Intake, String, ScoreHistogram> {
    /** The store of sums not sent on yet, by key@minute; its name is part of the app's contract. */
    static final String PENDING_STORE = "survey-pending-sums";
    static final String NAME = "survey-combine";
    private static final char SEPARATOR = '@';

    private final SurveySettings settings;
    private ProcessorContext<String, ScoreHistogram> context;
    private KeyValueStore<String, ScoreHistogram> pending;

    SurveyCombiner(SurveySettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, ScoreHistogram> context) {
        this.context = context;
        this.pending = context.getStateStore(PENDING_STORE);
        context.schedule(settings.combineInterval(), PunctuationType.WALL_CLOCK_TIME, now -> flush());
    }

    @Override
    public void process(Record<String, Intake> record) {
        SurveyResponse response = ((Fresh) record.value()).response();
        long minute = RollingWindow.Bucket.MINUTE.start(record.timestamp());
        for (Dimension dimension : Dimension.of(response)) {
            String key = dimension.key(response.getMetric()) + SEPARATOR + minute;
            ScoreHistogram sum = pending.get(key);
            pending.put(key, (sum == null ? ScoreHistogram.empty(response.getMetric()) : sum)
                    .add(response.getScore()));
        }
    }

    /** Sends every pending sum on and forgets it. */
    void flush() {
        List<String> sent = new ArrayList<>();
        try (KeyValueIterator<String, ScoreHistogram> all = pending.all()) {
            all.forEachRemaining(entry -> {
                int at = entry.key.lastIndexOf(SEPARATOR);
                long minute = Long.parseLong(entry.key.substring(at + 1));
                context.forward(new Record<>(entry.key.substring(0, at), entry.value, minute));
                sent.add(entry.key);
            });
        }
        sent.forEach(pending::delete);
    }
}
