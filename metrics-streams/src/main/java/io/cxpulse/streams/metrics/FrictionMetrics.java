package io.cxpulse.streams.metrics;

import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.cxpulse.avro.FrictionSignal;
import io.cxpulse.avro.TouchpointEvent;
import io.cxpulse.streams.alert.ShareAlertRule;
import io.cxpulse.streams.alert.ShareAlertRule.Severity;
import io.cxpulse.streams.friction.FrictionBucket;
import io.cxpulse.streams.friction.FrictionObserver;
import io.cxpulse.streams.friction.Touchpoint;
import io.cxpulse.streams.window.RollingWindow;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The friction topology's meters.
 * <ul>
 *   <li>Counters, after deduplication: {@code cx_touchpoint_events_total{touchpoint,channel,outcome}},
 *       {@code cx_friction_signals_total{touchpoint,signal}}, and {@code cx_friction_channel_switches_total},
 *       {@code cx_friction_repeated_contacts_total}, {@code cx_friction_repeated_input_journeys_total}
 *       {@code {touchpoint,channel}}; dead letters, duplicates and late events with {@code type="touchpoint"}.
 *       The touchpoints of the {@link LabelSet} keep their label, the others are "other".</li>
 *   <li>Gauges of the windows at stream time, for the touchpoints of the label set (the rest merged as
 *       "other"): {@code cx_friction_rate}, {@code cx_touchpoint_events},
 *       {@code cx_friction_detractor_lift}, {@code cx_touchpoint_median_duration_seconds}
 *       {@code {window,touchpoint,channel}}; and the friction alerts' statistic and state,
 *       {@code cx_friction_alert_evidence} and {@code cx_friction_alert_open} {@code {severity,touchpoint,channel}},
 *       for the same touchpoints.</li>
 * </ul>
 */
public final class FrictionMetrics extends IntakeMeters<TouchpointEvent, FrictionMetrics.TouchWindow, FrictionBucket>
        implements FrictionObserver {
    private static final List<String> LABELS = List.of("window", "touchpoint", "channel");
    private final LabelSet touchpoints;
    private final AlertGauges alerts;

    public FrictionMetrics(MeterRegistry registry, int topN) {
        this(registry, LabelSet.firstSeen(topN));
    }

    public FrictionMetrics(MeterRegistry registry, LabelSet touchpoints) {
        super(registry, "touchpoint");
        this.touchpoints = touchpoints;
        this.alerts = new AlertGauges(meters, "cx.friction.alert", "touchpoint's friction rate",
                List.of("touchpoint", "channel"));
    }

    /** A touchpoint and a window: the board holds the latest sums of each. */
    record TouchWindow(Touchpoint touchpoint, RollingWindow window) {
    }

    @Override
    public void counted(TouchpointEvent event) {
        String touchpoint = touchpoints.counterLabel(event.getTouchpoint());
        String channel = event.getChannel() == null ? "none" : event.getChannel().name();
        meters.counter("cx.touchpoint.events", "Touchpoint events counted once each (after deduplication)",
                "touchpoint", touchpoint, "channel", channel, "outcome", event.getOutcome().name()).increment();
        Set<FrictionSignal> seen = EnumSet.noneOf(FrictionSignal.class);
        for (FrictionSignal signal : event.getFrictionSignals()) {
            if (seen.add(signal)) {
                meters.counter("cx.friction.signals", "Touchpoint events carrying each friction signal",
                        "touchpoint", touchpoint, "signal", signal.name()).increment();
            }
        }
    }

    @Override
    public void found(Touchpoint touchpoint, FrictionBucket count) {
        String step = touchpoints.counterLabel(touchpoint.step());
        String channel = touchpoint.channelLabel();
        if (count.channelSwitches() > 0) {
            meters.counter("cx.friction.channel.switches", "Journeys that reached a further channel at this touchpoint",
                    "touchpoint", step, "channel", channel).increment(count.channelSwitches());
        }
        if (count.repeatedContacts() > 0) {
            meters.counter("cx.friction.repeated.contacts",
                    "FAILED or ABANDONED visits here followed within 7 days by a support contact",
                    "touchpoint", step, "channel", channel).increment(count.repeatedContacts());
        }
        if (count.repeatedInputJourneys() > 0) {
            meters.counter("cx.friction.repeated.input.journeys", "Journeys with REPEATED_INPUT at this touchpoint",
                    "touchpoint", step, "channel", channel).increment(count.repeatedInputJourneys());
        }
    }

    @Override
    public void window(String task, Touchpoint touchpoint, RollingWindow window, long windowEnd,
            FrictionBucket sum) {
        board.put(task, new TouchWindow(touchpoint, window), sum.copy());
    }


    @Override
    public void alert(String task, Touchpoint touchpoint, ShareAlertRule.Evaluation evaluation,
            Map<Severity, Boolean> open) {
        alerts.evaluated(task, List.of(touchpoint.step(), touchpoint.channelLabel()), evaluation, open);
    }

    @Override
    public void closed(String task) {
        board.closed(task);
        alerts.closed(task);
    }


    /** Sets the gauges from the latest windows; call before a scrape. */
    public void refreshGauges() {
        Map<TouchWindow, FrictionBucket> all = board.merged(FrictionBucket::copy, FrictionBucket::addAll);
        Map<String, Long> volume = new HashMap<>();
        all.forEach((key, sum) -> {
            if (key.window() == RollingWindow.DAYS_7) {
                volume.merge(key.touchpoint().step(), sum.events(), Long::sum);
            }
        });
        Set<String> top = touchpoints.gaugeLabels(volume);
        Map<List<String>, FrictionBucket> rows = new TreeMap<>(Comparator.comparing(Object::toString));
        all.forEach((key, sum) -> {
            String step = top.contains(key.touchpoint().step()) ? key.touchpoint().step() : LabelCap.OTHER;
            rows.computeIfAbsent(List.of(key.window().label(), step, key.touchpoint().channelLabel()),
                    row -> FrictionBucket.empty()).addAll(sum);
        });
        meters.gauge("cx.friction.rate", "Share of the window's events at the touchpoint that met friction", null,
                LABELS, rows, FrictionBucket::frictionRate);
        meters.gauge("cx.touchpoint.events.window", "Events at the touchpoint in the window", null, LABELS, rows,
                sum -> sum.events() == 0 ? null : (double) sum.events());
        meters.gauge("cx.friction.detractor.lift",
                "Detractor share of customers who met friction here minus that of those who passed cleanly", null,
                LABELS, rows, FrictionBucket::detractorLift);
        alerts.refresh(row -> top.contains(row.get(0)));
        meters.gauge("cx.touchpoint.median.duration", "Median step duration at the touchpoint in the window",
                "seconds", LABELS, rows, FrictionBucket::medianDurationSeconds);
    }


}
