package io.cxpulse.streams.survey;

import java.util.HashMap;
import java.util.Map;

import io.cxpulse.avro.SurveyMetric;
import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.streams.intake.EventIntake.Fresh;
import io.cxpulse.streams.state.PendingSums;
import io.cxpulse.streams.window.Dimension;
import io.cxpulse.streams.window.RollingWindow;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Adds up fresh responses on the input partitions, and every {@code combineInterval} sends them on per dimension
 * key and minute as one record each (key: the dimension key; timestamp: the minute's start; value: the histogram
 * of that minute's new responses). Without it, every response would cross the repartition topic once per
 * dimension; with it, each key crosses once per minute it has news for.
 *
 * <p>Responses are added up per cell: metric, segment, channel, touchpoint and minute together, so a response
 * costs one update however many dimensions it counts in; a cell is spread over its dimensions when it is sent.
 * The pending sums are {@link PendingSums}: kept in memory, and written to a logged store once per commit, so
 * they are exactly as durable as the input offsets they account for.
 */
final class SurveyCombiner implements Processor<String, Fresh<SurveyResponse>, String, ScoreHistogram> {
    /** The store of sums not sent on yet, by cell; its name is part of the app's contract. */
    static final String PENDING_STORE = "survey-pending-sums";
    static final String NAME = "survey-combine";

    private final SurveySettings settings;
    /** At most this many cells' dimension keys are cached (segments and touchpoints are open-ended). */
    private static final int MAX_CACHED_CELLS = 10_000;

    private final PendingSums<ScoreHistogram> pending = new PendingSums<>(PENDING_STORE);
    private final Map<String, String[]> dimensionKeys = new HashMap<>();
    private ProcessorContext<String, ScoreHistogram> context;

    SurveyCombiner(SurveySettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, ScoreHistogram> context) {
        this.context = context;
        pending.init(context);
        context.schedule(settings.combineInterval(), PunctuationType.WALL_CLOCK_TIME, now -> flush());
    }

    @Override
    public void process(Record<String, Fresh<SurveyResponse>> record) {
        SurveyResponse response = record.value().event();
        String cell = Cell.key(response, RollingWindow.Bucket.MINUTE.start(record.timestamp()));
        pending.sum(cell, key -> ScoreHistogram.empty(response.getMetric())).add(response.getScore());
    }

    /** Sends every pending sum on, per dimension key and minute, and forgets it. */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        Map<Cell.KeyAt, ScoreHistogram> byDimension = new HashMap<>();
        pending.drain((key, sum) -> {
            int metricEnd = key.indexOf('|');
            int minuteEnd = key.indexOf('|', metricEnd + 1);
            long minute = Long.parseLong(key, metricEnd + 1, minuteEnd, 10);
            for (String dimensionKey : dimensionKeys(key, key.substring(0, metricEnd) + key.substring(minuteEnd))) {
                byDimension.computeIfAbsent(new Cell.KeyAt(dimensionKey, minute),
                        k -> ScoreHistogram.empty(sum.metric())).addAll(sum);
            }
        });
        byDimension.forEach((at, sum) -> context.forward(new Record<>(at.key(), sum, at.minute())));
    }

    /** The keys of the dimensions that the cell {@code key} counts in, cached by the cell without its minute. */
    private String[] dimensionKeys(String key, String withoutMinute) {
        String[] keys = dimensionKeys.get(withoutMinute);
        if (keys == null) {
            if (dimensionKeys.size() >= MAX_CACHED_CELLS) {
                dimensionKeys.clear();
            }
            Cell cell = Cell.parse(key);
            keys = Dimension.countedIn(cell.segment(), cell.channel(), cell.touchpoint()).stream()
                    .map(dimension -> dimension.key(cell.metric())).toArray(String[]::new);
            dimensionKeys.put(withoutMinute, keys);
        }
        return keys;
    }

    /**
     * Responses that count in the same dimensions in the same minute. Its store key is
     * {@code METRIC|minute|segment|channel|touchpoint}, each value written as {@code =value} (escaped as in
     * {@link Dimension}) or left empty when absent.
     */
    record Cell(SurveyMetric metric, long minute, String segment, String channel, String touchpoint) {
        /** A dimension key and a minute: one record sent on. */
        record KeyAt(String key, long minute) {
        }

        static String key(SurveyResponse response, long minute) {
            StringBuilder key = new StringBuilder(64).append(response.getMetric().name()).append('|').append(minute);
            value(key, response.getSegment());
            value(key, response.getChannel() == null ? null : response.getChannel().name());
            value(key, response.getTouchpoint());
            return key.toString();
        }

        private static void value(StringBuilder key, String value) {
            key.append('|');
            if (value != null) {
                key.append('=').append(Dimension.escape(value));
            }
        }

        static Cell parse(String key) {
            String[] parts = key.split("\\|", -1);
            return new Cell(SurveyMetric.valueOf(parts[0]), Long.parseLong(parts[1]), value(parts[2]),
                    value(parts[3]), value(parts[4]));
        }

        private static String value(String part) {
            return part.isEmpty() ? null : Dimension.unescape(part.substring(1));
        }
    }
}
