package io.cxpulse.streams.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.cxpulse.avro.DeadLetterReason;
import io.cxpulse.avro.FrictionSignal;
import io.cxpulse.avro.TouchpointEvent;
import io.cxpulse.streams.friction.FrictionBucket;
import io.cxpulse.streams.friction.FrictionObserver;
import io.cxpulse.streams.friction.Touchpoint;
import io.cxpulse.streams.survey.RollingWindow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

/**
 * The friction topology's meters.
 * <ul>
 *   <li>Counters, after deduplication: {@code cx_touchpoint_events_total{touchpoint,channel,outcome}},
 *       {@code cx_friction_signals_total{touchpoint,signal}}, and {@code cx_friction_channel_switches_total},
 *       {@code cx_friction_repeated_contacts_total}, {@code cx_friction_repeated_input_journeys_total}
 *       {@code {touchpoint,channel}}; dead letters, duplicates and late events with {@code type="touchpoint"}.
 *       The first {@code topN} touchpoints seen keep their label, later ones are "other".</li>
 *   <li>Gauges of the windows at stream time, for the {@code topN} touchpoints with the most events in 7 days
 *       (the rest merged as "other"): {@code cx_friction_rate}, {@code cx_touchpoint_events},
 *       {@code cx_friction_detractor_lift}, {@code cx_touchpoint_median_duration_seconds}
 *       {@code {window,touchpoint,channel}}.</li>
 * </ul>
 */
public final class FrictionMetrics implements FrictionObserver {
    private final MeterRegistry registry;
    private final int topN;
    private final LabelCap touchpoints;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Map<TouchWindow, FrictionBucket>> board = new ConcurrentHashMap<>();
    private final Map<String, Long> streamTimes = new ConcurrentHashMap<>();
    private final Map<String, MultiGauge> gauges = new ConcurrentHashMap<>();

    public FrictionMetrics(MeterRegistry registry, int topN) {
        this.registry = registry;
        this.topN = topN;
        this.touchpoints = new LabelCap(topN);
    }

    private record TouchWindow(Touchpoint touchpoint, RollingWindow window) {
    }

    @Override
    public void counted(TouchpointEvent event) {
        String touchpoint = touchpoints.label(event.getTouchpoint());
        String channel = event.getChannel() == null ? "none" : event.getChannel().name();
        counter("cx.touchpoint.events", "Touchpoint events counted once each (after deduplication)",
                Tags.of("touchpoint", touchpoint, "channel", channel, "outcome", event.getOutcome().name()))
                .increment();
        for (FrictionSignal signal : event.getFrictionSignals().stream().distinct().toList()) {
            counter("cx.friction.signals", "Touchpoint events carrying each friction signal",
                    Tags.of("touchpoint", touchpoint, "signal", signal.name())).increment();
        }
    }

    @Override
    public void duplicate() {
        counter("cx.duplicate.events", "Events dropped because their eventId was already counted",
                Tags.of("type", "touchpoint")).increment();
    }

    @Override
    public void deadLettered(DeadLetterReason reason) {
        counter("cx.dead.letters", "Records sent to the dead-letter topic, by reason",
                Tags.of("type", "touchpoint", "reason", reason.name())).increment();
        if (reason == DeadLetterReason.LATE_EVENT) {
            counter("cx.late.events", "Events later than the grace period (dead-lettered, not counted)",
                    Tags.of("type", "touchpoint")).increment();
        }
    }

    @Override
    public void found(Touchpoint touchpoint, FrictionBucket count) {
        Tags tags = Tags.of("touchpoint", touchpoints.label(touchpoint.step()), "channel", touchpoint.channelLabel());
        if (count.channelSwitches() > 0) {
            counter("cx.friction.channel.switches", "Journeys that reached a further channel at this touchpoint",
                    tags).increment(count.channelSwitches());
        }
        if (count.repeatedContacts() > 0) {
            counter("cx.friction.repeated.contacts",
                    "FAILED or ABANDONED visits here followed within 7 days by a support contact", tags)
                    .increment(count.repeatedContacts());
        }
        if (count.repeatedInputJourneys() > 0) {
            counter("cx.friction.repeated.input.journeys", "Journeys with REPEATED_INPUT at this touchpoint", tags)
                    .increment(count.repeatedInputJourneys());
        }
    }

    @Override
    public void window(String task, Touchpoint touchpoint, RollingWindow window, long windowEnd,
            FrictionBucket sum) {
        board.computeIfAbsent(task, t -> new ConcurrentHashMap<>()).put(new TouchWindow(touchpoint, window),
                sum.copy());
    }

    @Override
    public void streamTime(String task, long streamTime) {
        streamTimes.merge(task, streamTime, Math::max);
    }

    @Override
    public void closed(String task) {
        board.remove(task);
        streamTimes.remove(task);
    }

    /** The latest event time the friction tasks here have seen, if any. */
    public OptionalLong streamTime() {
        return streamTimes.values().stream().mapToLong(Long::longValue).max();
    }

    /** Sets the gauges from the latest windows; call before a scrape. */
    public void refreshGauges() {
        Map<TouchWindow, FrictionBucket> all = new HashMap<>();
        board.values().forEach(task -> task.forEach((key, sum) -> all.merge(key, sum.copy(), FrictionBucket::addAll)));
        Map<String, Long> volume = new HashMap<>();
        all.forEach((key, sum) -> {
            if (key.window() == RollingWindow.DAYS_7) {
                volume.merge(key.touchpoint().step(), sum.events(), Long::sum);
            }
        });
        Set<String> top = new HashSet<>();
        volume.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(topN).forEach(entry -> top.add(entry.getKey()));
        Map<List<String>, FrictionBucket> rows = new TreeMap<>(Comparator.comparing(Object::toString));
        all.forEach((key, sum) -> {
            String step = top.contains(key.touchpoint().step()) ? key.touchpoint().step() : LabelCap.OTHER;
            rows.computeIfAbsent(List.of(key.window().label(), step, key.touchpoint().channelLabel()),
                    row -> FrictionBucket.empty()).addAll(sum);
        });
        register("cx.friction.rate", "Share of the window's events at the touchpoint that met friction", null,
                rows, FrictionBucket::frictionRate);
        register("cx.touchpoint.events.window", "Events at the touchpoint in the window", null, rows,
                sum -> sum.events() == 0 ? null : (double) sum.events());
        register("cx.friction.detractor.lift",
                "Detractor share of customers who met friction here minus that of those who passed cleanly", null,
                rows, FrictionBucket::detractorLift);
        register("cx.touchpoint.median.duration", "Median step duration at the touchpoint in the window", "seconds",
                rows, FrictionBucket::medianDurationSeconds);
    }

    private void register(String name, String description, String unit, Map<List<String>, FrictionBucket> rows,
            Function<FrictionBucket, Double> value) {
        List<MultiGauge.Row<?>> gaugeRows = new ArrayList<>();
        rows.forEach((row, sum) -> {
            Double figure = value.apply(sum);
            if (figure != null) {
                gaugeRows.add(MultiGauge.Row.of(Tags.of("window", row.get(0), "touchpoint", row.get(1), "channel",
                        row.get(2)), figure));
            }
        });
        gauges.computeIfAbsent(name, n -> MultiGauge.builder(n).description(description).baseUnit(unit)
                .register(registry)).register(gaugeRows, true);
    }

    private Counter counter(String name, String description, Tags tags) {
        return counters.computeIfAbsent(name + tags, key -> Counter.builder(name).description(description).tags(tags)
                .register(registry));
    }
}
