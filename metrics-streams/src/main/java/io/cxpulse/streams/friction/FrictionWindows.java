package io.cxpulse.streams.friction;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.cxpulse.avro.AlertKind;
import io.cxpulse.avro.CxAlert;
import io.cxpulse.avro.FrictionAggregate;
import io.cxpulse.avro.FrictionSignal;
import io.cxpulse.streams.alert.ShareAlerts;
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
 * {@code CHANNEL|step|window}), and each touchpoint's recent friction rate is compared with its rate over the 7
 * days before by the {@link io.cxpulse.streams.alert.ShareAlertRule}, which opens and resolves a warning and a page.
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
    private final ShareAlerts<FrictionBucket> frictionAlerts;
    private WindowStore<String, FrictionBucket> minutes;
    private WindowStore<String, FrictionBucket> hours;
    private KeyValueStore<String, CxAlert> alerts;
    private long streamTime;

    private FrictionWindows(FrictionSettings settings, FrictionObserver observer) {
        this.settings = settings;
        this.observer = observer;
        this.frictionAlerts = new ShareAlerts<>(settings.alerts(), AlertKind.FRICTION_RATE, FrictionBucket::empty,
                FrictionBucket::events, FrictionBucket::withFriction);
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
     * Evaluates the touchpoint's friction alerts on the minutes that end at the wall clock's next minute, so that
     * late events before the rule's memory change its baseline but never open an alert for a past hour.
     */
    @Override
    public void now(String key, long end, ProcessorContext<String, Emitted> context) {
        Touchpoint touchpoint = Touchpoint.parse(key);
        ShareAlerts.Outcome outcome = frictionAlerts.evaluate(key, dimension(touchpoint), end,
                context.currentSystemTimeMs(), minutes, hours, alerts);
        observer.alert(context.taskId().toString(), touchpoint, outcome.evaluation(), outcome.open());
        for (CxAlert alert : outcome.changed()) {
            context.forward(new Record<>("friction|" + key, new AlertOut(alert), streamTime));
        }
    }

    private static Map<String, String> dimension(Touchpoint touchpoint) {
        return Map.of("touchpoint", touchpoint.step(), "channel", touchpoint.channelLabel());
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

    @Override
    public void closed(String task) {
        observer.closed(task);
    }
}
