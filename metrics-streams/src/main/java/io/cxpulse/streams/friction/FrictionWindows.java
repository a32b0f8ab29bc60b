package io.cxpulse.streams.friction;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.cxpulse.avro.AlertKind;
import io.cxpulse.avro.AlertState;
import io.cxpulse.avro.CxAlert;
import io.cxpulse.avro.FrictionAggregate;
import io.cxpulse.avro.FrictionSignal;
import io.cxpulse.streams.alert.ShareAlertRule.Evaluation;
import io.cxpulse.streams.window.BucketWindows;
import io.cxpulse.streams.window.RollingWindow;
import io.cxpulse.streams.window.RollingWindow.Bucket;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The friction counts of each touchpoint (the key) in minute and hour buckets of event time; the rolling windows
 * of the touchpoints that changed are reported to the observer and sent on as {@link FrictionAggregate}s (keyed
 * {@code CHANNEL|step|window}), and each touchpoint's 1h friction rate is
 * compared with its rate over the 7 days before that hour: an alert opens when it is {@code alerts.openZ}
 * standard errors above, with at least {@code alerts.minResponses} events, and resolves at {@code resolveZ}.
 */
final class FrictionWindows implements BucketWindows.Emitter<FrictionBucket, FrictionWindows.Emitted> {
    static final String NAME = "friction-windows";

    /** What the windows send on: aggregates and alerts, each to its own topic. */
    sealed interface Emitted permits AggregateOut, AlertOut {
    }

    /** A window's aggregate. */
    record AggregateOut(FrictionAggregate aggregate) implements Emitted {
    }

    /** A friction alert that opened or resolved. */
    record AlertOut(CxAlert alert) implements Emitted {
    }
    /** Open friction alerts by touchpoint key; its name is part of the app's contract. */
    static final String ALERT_STORE = "friction-alerts";

    private final FrictionSettings settings;
    private final FrictionObserver observer;
    private WindowStore<String, FrictionBucket> minutes;
    private WindowStore<String, FrictionBucket> hours;
    private KeyValueStore<String, CxAlert> alerts;
    private long streamTime;

    private FrictionWindows(FrictionSettings settings, FrictionObserver observer) {
        this.settings = settings;
        this.observer = observer;
    }

    /** The window store of friction buckets of {@code bucket}'s size; its name is part of the app's contract. */
    static String store(Bucket bucket) {
        return bucket == Bucket.MINUTE ? "friction-buckets-1m" : "friction-buckets-1h";
    }

    static BucketWindows<FrictionBucket, Emitted> processor(FrictionSettings settings,
            FrictionObserver observer) {
        return new BucketWindows<>(Map.of(Bucket.MINUTE, store(Bucket.MINUTE), Bucket.HOUR, store(Bucket.HOUR)),
                FrictionBucket::empty, key -> Touchpoint.parse(key) != null, settings.emitInterval(),
                new FrictionWindows(settings, observer));
    }

    @Override
    public void begin(String task, long streamTime, ProcessorContext<String, Emitted> context) {
        if (hours == null) {
            minutes = context.getStateStore(store(Bucket.MINUTE));
            hours = context.getStateStore(store(Bucket.HOUR));
            alerts = context.getStateStore(ALERT_STORE);
        }
        this.streamTime = streamTime;
        observer.streamTime(task, streamTime);
    }

    @Override
    public void sum(String key, RollingWindow window, long end, FrictionBucket sum,
            ProcessorContext<String, Emitted> context) {
        Touchpoint touchpoint = Touchpoint.parse(key);
        observer.window(context.taskId().toString(), touchpoint, window, end, sum);
        context.forward(new Record<>(key + "|" + window.label(),
                new AggregateOut(aggregate(touchpoint, window, end, sum, context)), streamTime));
    }

    /**
     * Evaluates the touchpoint's friction alert on the hour that is current by the wall clock, so that late events
     * in a past hour change its baseline but never open an alert for that hour.
     */
    @Override
    public void now(String key, long end, ProcessorContext<String, Emitted> context) {
        Touchpoint touchpoint = Touchpoint.parse(key);
        FrictionBucket sum = BucketWindows.sum(minutes, key, RollingWindow.HOUR_1, end, FrictionBucket.empty());
        long hourStart = end - RollingWindow.HOUR_1.length().toMillis();
        FrictionBucket baseline = BucketWindows.sum(hours, key, RollingWindow.DAYS_7, Bucket.HOUR.start(hourStart),
                FrictionBucket.empty());
        Evaluation evaluation = settings.alerts().evaluate(sum.events(), sum.withFriction(), baseline.events(),
                baseline.withFriction());
        CxAlert open = alerts.get(key);
        if (open == null && evaluation.breach()) {
            String id = UUID.nameUUIDFromBytes(("friction|" + key + "|" + end).getBytes(StandardCharsets.UTF_8))
                    .toString();
            CxAlert opened = alert(id, touchpoint, AlertState.OPENED, evaluation, hourStart, end, context);
            alerts.put(key, opened);
            context.forward(new Record<>("friction|" + key, new AlertOut(opened), streamTime));
        } else if (open != null && evaluation.recovered()) {
            alerts.delete(key);
            context.forward(new Record<>("friction|" + key, new AlertOut(alert(open.getAlertId(), touchpoint,
                    AlertState.RESOLVED, evaluation, hourStart, end, context)), streamTime));
        }
    }

    private FrictionAggregate aggregate(Touchpoint touchpoint, RollingWindow window, long end, FrictionBucket sum,
            ProcessorContext<String, Emitted> context) {
        Map<String, Long> signals = new LinkedHashMap<>();
        for (FrictionSignal signal : FrictionBucket.SIGNALS) {
            signals.put(signal.name(), sum.signal(signal));
        }
        return FrictionAggregate.newBuilder().setTouchpoint(touchpoint.step()).setChannel(touchpoint.channelLabel())
                .setWindow(window.label()).setWindowStart(Instant.ofEpochMilli(end - window.length().toMillis()))
                .setWindowEnd(Instant.ofEpochMilli(end)).setEvents(sum.events()).setCompleted(sum.completed())
                .setFailed(sum.failed()).setAbandoned(sum.abandoned()).setWithFriction(sum.withFriction())
                .setFrictionRate(sum.frictionRate()).setSignals(signals)
                .setMedianDurationSeconds(sum.medianDurationSeconds()).setChannelSwitches(sum.channelSwitches())
                .setRepeatedContacts(sum.repeatedContacts()).setRepeatedInputJourneys(sum.repeatedInputJourneys())
                .setFrictionResponses(sum.frictionResponses()).setFrictionDetractors(sum.frictionDetractors())
                .setCleanResponses(sum.cleanResponses()).setCleanDetractors(sum.cleanDetractors())
                .setDetractorLift(sum.detractorLift()).setLiftZ(sum.liftZ())
                .setLiftSignificant(sum.liftSignificant(settings.liftMinResponses(), settings.liftZ()))
                .setEmittedAt(Instant.ofEpochMilli(context.currentSystemTimeMs())).build();
    }

    private static CxAlert alert(String id, Touchpoint touchpoint, AlertState state, Evaluation evaluation,
            long start, long end, ProcessorContext<String, Emitted> context) {
        Map<String, String> dimension = new HashMap<>();
        dimension.put("touchpoint", touchpoint.step());
        dimension.put("channel", touchpoint.channelLabel());
        return CxAlert.newBuilder().setAlertId(id).setKind(AlertKind.FRICTION_RATE).setDimension(dimension)
                .setState(state).setObserved(evaluation.observed()).setBaseline(evaluation.baseline())
                .setZScore(evaluation.z()).setSampleSize(evaluation.responses())
                .setWindow(RollingWindow.HOUR_1.label()).setBaselineWindow(RollingWindow.DAYS_7.label())
                .setWindowStart(Instant.ofEpochMilli(start)).setWindowEnd(Instant.ofEpochMilli(end))
                .setEmittedAt(Instant.ofEpochMilli(context.currentSystemTimeMs())).build();
    }

    @Override
    public void closed(String task) {
        observer.closed(task);
    }
}
