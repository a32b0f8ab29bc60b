package io.cxpulse.streams.survey;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.cxpulse.avro.AlertKind;
import io.cxpulse.avro.CxAlert;
import io.cxpulse.avro.SurveyAggregate;
import io.cxpulse.avro.SurveyMetric;
import io.cxpulse.schemas.contract.ScoreScale;
import io.cxpulse.streams.alert.ShareAlerts;
import io.cxpulse.streams.window.BucketWindows;
import io.cxpulse.streams.window.Dimension;
import io.cxpulse.streams.window.Dimension.Keyed;
import io.cxpulse.streams.window.RollingWindow;
import io.cxpulse.streams.window.RollingWindow.Bucket;

import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Keeps the score histograms of each metric and dimension (the key) in minute and hour buckets, adding the sums of new
 * responses that {@link SurveyCombiner} sends: one write per bucket size per sum. Every {@code emitInterval} of
 * wall-clock time it sums the buckets of the keys that changed into the rolling 1h, 24h and 7d windows that end at
 * stream time and emits the ones whose figures changed; when stream time crosses into a new minute, every key is
 * re-summed, since buckets have left its windows.
 *
 * <p>Detractor alerts are about now: each evaluation applies the {@link io.cxpulse.streams.alert.ShareAlertRule}
 * to the minutes that end at the wall clock's next minute (its memory, 6 hours by default) against the 7 days of
 * hour buckets before them, for the keys that changed, and for every key when the wall clock crosses into a new
 * minute. A late response lands in its own buckets: within the memory it is evidence like any other; before it, it
 * changes only baselines and past windows, so it never opens an alert for a past hour, and an import of history
 * gives the baseline at once.
 */
final class SurveyWindows implements Processor<String, ScoreHistogram, String, SurveyWindows.Emitted> {
    static final String NAME = "survey-windows";

    /** What the processor emits. */
    sealed interface Emitted permits AggregateOut, AlertOut {
    }

    /** A changed aggregate, for the aggregates topic. */
    record AggregateOut(SurveyAggregate aggregate) implements Emitted {
    }

    /** An alert that opened or resolved, for the alerts topic. */
    record AlertOut(CxAlert alert) implements Emitted {
    }

    private final SurveySettings settings;
    private final SurveyObserver observer;
    private final ShareAlerts<ScoreHistogram> detractorAlerts;
    private final Set<String> dirty = new HashSet<>();
    private final Set<String> known = new HashSet<>();
    private final Map<String, Keyed> parsed = new HashMap<>();
    private final Map<String, ScoreHistogram> lastEmitted = new HashMap<>();
    private final Map<Bucket, WindowStore<String, ScoreHistogram>> buckets = new EnumMap<>(Bucket.class);
    private ProcessorContext<String, Emitted> context;
    private KeyValueStore<String, CxAlert> alerts;
    private String task;
    private long lastEnd = Long.MIN_VALUE;
    private long lastAlertEnd = Long.MIN_VALUE;

    SurveyWindows(SurveySettings settings, SurveyObserver observer) {
        this.settings = settings;
        this.observer = observer;
        this.detractorAlerts = new ShareAlerts<>(settings.alerts(), AlertKind.DETRACTOR_RATE,
                () -> ScoreHistogram.empty(SurveyMetric.NPS), ScoreHistogram::responses,
                histogram -> histogram.figures().detractors());
    }

    @Override
    public void init(ProcessorContext<String, Emitted> context) {
        // Kafka Streams inits the same instance again when it revives a task it closed dirty: what the aborted
        // transaction emitted never reached the aggregates topic, so nothing is remembered as sent
        dirty.clear();
        known.clear();
        lastEmitted.clear();
        lastEnd = Long.MIN_VALUE;
        lastAlertEnd = Long.MIN_VALUE;
        this.context = context;
        this.task = context.taskId().toString();
        for (Bucket bucket : Bucket.values()) {
            buckets.put(bucket, context.getStateStore(bucket.store()));
        }
        alerts = context.getStateStore(SurveyTopology.ALERT_STORE);
        try (KeyValueIterator<Windowed<String>, ScoreHistogram> all = buckets.get(Bucket.HOUR).all()) {
            all.forEachRemaining(entry -> known.add(entry.key.key()));
        }
        context.schedule(settings.emitInterval(), PunctuationType.WALL_CLOCK_TIME, now -> emit());
        // a task that moved here or restarted has its stream time from its committed offsets: queries answered
        // before its first emit must not end their windows at the other tasks' older times
        if (context.currentStreamTimeMs() >= 0) {
            observer.streamTime(task, context.currentStreamTimeMs());
        }
    }

    @Override
    public void process(Record<String, ScoreHistogram> record) {
        String key = record.key();
        Keyed keyed = keyed(key);
        if (keyed == null || record.value() == null || record.value().metric() != keyed.metric()) {
            return;
        }
        for (Bucket bucket : Bucket.values()) {
            WindowStore<String, ScoreHistogram> store = buckets.get(bucket);
            long start = bucket.start(record.timestamp());
            ScoreHistogram histogram = store.fetch(key, start);
            histogram = histogram == null ? ScoreHistogram.empty(keyed.metric()) : histogram;
            store.put(key, histogram.addAll(record.value()), start);
        }
        dirty.add(key);
        known.add(key);
    }

    @Override
    public void close() {
        observer.closed(task);
    }

    /** Sums and emits what changed, and evaluates alerts. */
    void emit() {
        long streamTime = context.currentStreamTimeMs();
        if (streamTime < 0) {
            return;
        }
        observer.streamTime(task, streamTime);
        long end = RollingWindow.HOUR_1.end(streamTime);
        boolean rolled = end != lastEnd;
        lastEnd = end;
        for (String key : rolled ? known : dirty) {
            Keyed keyed = keyed(key);
            if (keyed != null) {
                emit(key, keyed, streamTime);
            }
        }
        long alertEnd = RollingWindow.HOUR_1.end(context.currentSystemTimeMs());
        boolean alertRolled = alertEnd != lastAlertEnd;
        lastAlertEnd = alertEnd;
        List<String> keys = new ArrayList<>(alertRolled ? known : dirty);
        if (alertRolled) {
            for (String key : ShareAlerts.openKeys(alerts)) {
                if (!known.contains(key)) {
                    keys.add(key);
                }
            }
        }
        for (String key : keys) {
            Keyed keyed = keyed(key);
            Dimension.Kind kind = keyed == null ? null : keyed.dimension().kind();
            if (keyed != null && keyed.metric() == SurveyMetric.NPS
                    && (kind == Dimension.Kind.ALL || kind == Dimension.Kind.SEGMENT)) {
                evaluateAlert(key, keyed, alertEnd, streamTime);
            }
        }
        dirty.clear();
    }

    private void emit(String key, Keyed keyed, long streamTime) {
        for (RollingWindow window : RollingWindow.values()) {
            long end = window.end(streamTime);
            ScoreHistogram histogram = BucketWindows.sum(buckets.get(window.bucket()), key, window, end,
                    ScoreHistogram.empty(keyed.metric()));
            observer.figures(task, keyed, window, end, histogram);
            String outKey = key + "|" + window.label();
            if (!histogram.equals(lastEmitted.get(outKey))) {
                lastEmitted.put(outKey, histogram);
                context.forward(new Record<>(outKey, (Emitted) new AggregateOut(aggregate(keyed, window, end,
                        histogram)), streamTime));
            }
        }
    }

    /** Evaluates the detractor alerts of {@code key} at {@code end}, the end of the current minute by the clock. */
    private void evaluateAlert(String key, Keyed keyed, long end, long streamTime) {
        ShareAlerts.Outcome outcome = detractorAlerts.evaluate(key, keyed.dimension().values(), end,
                context.currentSystemTimeMs(), buckets.get(Bucket.MINUTE), buckets.get(Bucket.HOUR), alerts);
        observer.alert(task, keyed, outcome.evaluation(), outcome.open());
        for (CxAlert alert : outcome.changed()) {
            context.forward(new Record<>(key, (Emitted) new AlertOut(alert), streamTime));
        }
    }

    private SurveyAggregate aggregate(Keyed keyed, RollingWindow window, long end, ScoreHistogram histogram) {
        SurveyFigures figures = histogram.figures();
        List<Long> counts = new ArrayList<>();
        for (long count : histogram.counts()) {
            counts.add(count);
        }
        return SurveyAggregate.newBuilder().setMetric(keyed.metric())
                .setDimension(new HashMap<>(keyed.dimension().values())).setWindow(window.label())
                .setWindowStart(Instant.ofEpochMilli(end - window.length().toMillis()))
                .setWindowEnd(Instant.ofEpochMilli(end)).setMinScore(ScoreScale.of(keyed.metric()).min())
                .setCounts(counts).setResponses(figures.responses()).setThinSample(figures.thinSample())
                .setPromoters(figures.promoters()).setPassives(figures.passives())
                .setDetractors(figures.detractors()).setNps(figures.nps()).setMarginOfError(figures.marginOfError())
                .setCsatRatio(figures.csatRatio()).setCesMean(figures.cesMean())
                .setCesEasyRatio(figures.cesEasyRatio())
                .setEmittedAt(Instant.ofEpochMilli(context.currentSystemTimeMs())).build();
    }

    private Keyed keyed(String key) {
        if (key == null) {
            return null;
        }
        return parsed.computeIfAbsent(key, k -> {
            try {
                return Dimension.parse(k);
            } catch (RuntimeException e) {
                return null;
            }
        });
    }
}
