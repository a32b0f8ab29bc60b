package io.cxpulse.streams.survey;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.cxpulse.avro.AlertKind;
import io.cxpulse.avro.AlertState;
import io.cxpulse.avro.CxAlert;
import io.cxpulse.avro.SurveyAggregate;
import io.cxpulse.avro.SurveyMetric;
import io.cxpulse.schemas.contract.ScoreScale;
import io.cxpulse.streams.alert.ShareAlertRule.Evaluation;
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
 * <p>Detractor alerts are about now: each evaluation takes the hour that ends at the wall clock's next minute
 * against the 7 days of hour buckets before it, for the keys that changed, and for every key when the wall clock
 * crosses into a new minute. A late response lands in its own buckets: in a past hour it changes only baselines and
 * past windows, so it never opens an alert for a past hour, and an import of history gives the baseline at once.
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
            try (KeyValueIterator<String, CxAlert> open = alerts.all()) {
                open.forEachRemaining(entry -> {
                    if (!known.contains(entry.key)) {
                        keys.add(entry.key);
                    }
                });
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

    /** Evaluates the detractor alert of {@code key} on the hour that ends at {@code hourEnd}, the current one. */
    private void evaluateAlert(String key, Keyed keyed, long hourEnd, long streamTime) {
        ScoreHistogram hour = BucketWindows.sum(buckets.get(Bucket.MINUTE), key, RollingWindow.HOUR_1, hourEnd,
                ScoreHistogram.empty(SurveyMetric.NPS));
        long hourStart = hourEnd - RollingWindow.HOUR_1.length().toMillis();
        long baselineEnd = Bucket.HOUR.start(hourStart);
        ScoreHistogram baseline = BucketWindows.sum(buckets.get(Bucket.HOUR), key, RollingWindow.DAYS_7,
                baselineEnd, ScoreHistogram.empty(SurveyMetric.NPS));
        SurveyFigures now = hour.figures();
        SurveyFigures before = baseline.figures();
        Evaluation evaluation = settings.alerts().evaluate(now.responses(), now.detractors(), before.responses(),
                before.detractors());
        CxAlert open = alerts.get(key);
        if (open == null && evaluation.breach()) {
            String id = UUID.nameUUIDFromBytes((key + "|" + hourEnd).getBytes(StandardCharsets.UTF_8))
                    .toString();
            CxAlert opened = alert(id, keyed, AlertState.OPENED, evaluation, hourStart, hourEnd);
            alerts.put(key, opened);
            context.forward(new Record<>(key, (Emitted) new AlertOut(opened), streamTime));
        } else if (open != null && evaluation.recovered()) {
            alerts.delete(key);
            context.forward(new Record<>(key, (Emitted) new AlertOut(alert(open.getAlertId(), keyed,
                    AlertState.RESOLVED, evaluation, hourStart, hourEnd)), streamTime));
        }
    }

    private CxAlert alert(String id, Keyed keyed, AlertState state, Evaluation evaluation, long start, long end) {
        return CxAlert.newBuilder().setAlertId(id).setKind(AlertKind.DETRACTOR_RATE)
                .setDimension(new HashMap<>(keyed.dimension().values())).setState(state)
                .setObserved(evaluation.observed()).setBaseline(evaluation.baseline()).setZScore(evaluation.z())
                .setSampleSize(evaluation.responses()).setWindow(RollingWindow.HOUR_1.label())
                .setBaselineWindow(RollingWindow.DAYS_7.label()).setWindowStart(Instant.ofEpochMilli(start))
                .setWindowEnd(Instant.ofEpochMilli(end))
                .setEmittedAt(Instant.ofEpochMilli(context.currentSystemTimeMs())).build();
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
