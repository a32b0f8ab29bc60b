package io.cxpulse.streams.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
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
import io.cxpulse.avro.TicketEvent;
import io.cxpulse.avro.TicketPriority;
import io.cxpulse.streams.survey.RollingWindow;
import io.cxpulse.streams.ticket.BacklogAge;
import io.cxpulse.streams.ticket.DurationSketch;
import io.cxpulse.streams.ticket.TicketBucket;
import io.cxpulse.streams.ticket.TicketCell;
import io.cxpulse.streams.ticket.TicketLifecycle.Settled;
import io.cxpulse.streams.ticket.TicketObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The ticket topology's meters.
 * <ul>
 *   <li>Counters: {@code cx_ticket_events_total{type,priority,channel}} after deduplication, dead letters,
 *       duplicates and late events with {@code type="ticket-event"}, {@code cx_ticket_sla_breaches_total{priority}},
 *       {@code cx_ticket_resolutions_superseded_total{channel,priority}}.</li>
 *   <li>Histograms, observed once per duration when it becomes final: {@code cx_ticket_first_response_seconds}
 *       and {@code cx_ticket_resolution_seconds} ({@code resolution="first"} once per ticket, {@code "full"} for
 *       every resolution that became the ticket's last one, so a reopened ticket resolved again is observed
 *       again; the superseded count says how often), labelled {@code channel, priority}.</li>
 *   <li>Gauges of the windows at stream time: {@code cx_ticket_response_time_seconds{duration,window,quantile,
 *       channel,priority}} (p50, p90, p99 of first_response, first_resolution and full_resolution, for all
 *       tickets, per channel and per priority; the others "all"), {@code cx_ticket_resolved},
 *       {@code cx_ticket_reopen_ratio} and {@code cx_ticket_one_touch_ratio} {@code {window,channel,queue}} (the
 *       {@code topN} queues by 7-day volume keep their label, the rest are "other"), and
 *       {@code cx_tickets_awaiting_first_response{priority,age}}.</li>
 * </ul>
 * Gauges cover the tasks running in this instance.
 */
public final class TicketMetrics implements TicketObserver {
    private static final double[] QUANTILES = {0.5, 0.9, 0.99};
    private static final Duration[] BUCKETS = {Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15),
            Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(8),
            Duration.ofHours(24), Duration.ofHours(48), Duration.ofDays(7)};
    private final MeterRegistry registry;
    private final int topN;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Map<TicketPriority, long[]>> backlog = new ConcurrentHashMap<>();
    private final Map<String, Map<CellWindow, TicketBucket>> board = new ConcurrentHashMap<>();
    private final Map<String, Long> streamTimes = new ConcurrentHashMap<>();
    private final Map<String, MultiGauge> gauges = new ConcurrentHashMap<>();

    public TicketMetrics(MeterRegistry registry, int topN) {
        this.registry = registry;
        this.topN = topN;
    }

    private record CellWindow(TicketCell cell, RollingWindow window) {
    }

    @Override
    public void counted(TicketEvent event) {
        counter("cx.ticket.events", "Ticket events counted once each (after deduplication)",
                Tags.of("type", event.getType().name(), "priority", event.getPriority().name(), "channel",
                        event.getChannel() == null ? "none" : event.getChannel().name())).increment();
    }

    @Override
    public void duplicate() {
        counter("cx.duplicate.events", "Events dropped because their eventId was already counted",
                Tags.of("type", "ticket-event")).increment();
    }

    @Override
    public void deadLettered(DeadLetterReason reason) {
        counter("cx.dead.letters", "Records sent to the dead-letter topic, by reason",
                Tags.of("type", "ticket-event", "reason", reason.name())).increment();
        if (reason == DeadLetterReason.LATE_EVENT) {
            counter("cx.late.events", "Events later than the grace period (dead-lettered, not counted)",
                    Tags.of("type", "ticket-event")).increment();
        }
    }

    @Override
    public void settled(Settled settled) {
        Tags tags = Tags.of("channel", settled.facets().channel() == null ? "none" : settled.facets().channel().name(),
                "priority", String.valueOf(settled.facets().priority()));
        switch (settled.kind()) {
            case FIRST_RESPONSE -> timer("cx.ticket.first.response",
                    "OPENED to first AGENT_REPLIED, observed once per ticket when final", tags)
                    .record(settled.duration());
            case FIRST_RESOLUTION -> timer("cx.ticket.resolution",
                    "OPENED to RESOLVED: first once per ticket, full for each resolution that became the last",
                    tags.and("resolution", "first")).record(settled.duration());
            case FULL_RESOLUTION -> {
                timer("cx.ticket.resolution",
                        "OPENED to RESOLVED: first once per ticket, full for each resolution that became the last",
                        tags.and("resolution", "full")).record(settled.duration());
                if (settled.supersedes()) {
                    counter("cx.ticket.resolutions.superseded",
                            "Full resolutions replaced by a later one after a reopen", tags).increment();
                }
            }
            default -> {
            }
        }
    }

    @Override
    public void breached(TicketPriority priority) {
        counter("cx.ticket.sla.breaches", "Tickets that had no first reply within their priority's target",
                Tags.of("priority", String.valueOf(priority))).increment();
    }

    @Override
    public void backlog(String task, Map<TicketPriority, long[]> counts) {
        backlog.put(task, counts);
    }

    @Override
    public void window(String task, TicketCell cell, RollingWindow window, long windowEnd, TicketBucket sum) {
        board.computeIfAbsent(task, t -> new ConcurrentHashMap<>()).put(new CellWindow(cell, window), sum.copy());
    }

    @Override
    public void streamTime(String task, long streamTime) {
        streamTimes.merge(task, streamTime, Math::max);
    }

    @Override
    public void closed(String task) {
        board.remove(task);
        backlog.remove(task);
        streamTimes.remove(task);
    }

    /** The latest event time the ticket tasks here have seen, if any. */
    public OptionalLong streamTime() {
        return streamTimes.values().stream().mapToLong(Long::longValue).max();
    }

    /** Sets the gauges from the latest windows and backlog; call before a scrape. */
    public void refreshGauges() {
        Map<CellWindow, TicketBucket> cells = new HashMap<>();
        board.values().forEach(task -> task.forEach((key, sum) -> cells.merge(key, sum.copy(), TicketBucket::addAll)));
        registerDurations(cells);
        registerRates(cells);
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        Map<TicketPriority, long[]> total = new EnumMap<>(TicketPriority.class);
        backlog.values().forEach(task -> task.forEach((priority, counts) -> {
            long[] sum = total.computeIfAbsent(priority, p -> new long[BacklogAge.values().length]);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += counts[i];
            }
        }));
        total.forEach((priority, counts) -> {
            for (BacklogAge age : BacklogAge.values()) {
                rows.add(MultiGauge.Row.of(Tags.of("priority", priority.name(), "age", age.label()),
                        counts[age.ordinal()]));
            }
        });
        gauge("cx.tickets.awaiting.first.response", "Open tickets with no agent reply yet, by age at stream time",
                null).register(rows, true);
    }

    private void registerDurations(Map<CellWindow, TicketBucket> cells) {
        Map<List<String>, TicketBucket> rows = new TreeMap<>(Comparator.comparing(Object::toString));
        cells.forEach((key, sum) -> {
            String window = key.window().label();
            String channel = key.cell().channel() == null ? "none" : key.cell().channel().name();
            String priority = String.valueOf(key.cell().priority());
            for (List<String> row : List.of(List.of(window, "all", "all"), List.of(window, channel, "all"),
                    List.of(window, "all", priority))) {
                rows.computeIfAbsent(row, r -> TicketBucket.empty()).addAll(sum);
            }
        });
        List<MultiGauge.Row<?>> gaugeRows = new ArrayList<>();
        rows.forEach((row, sum) -> {
            addQuantiles(gaugeRows, row, "first_response", sum.firstResponse());
            addQuantiles(gaugeRows, row, "first_resolution", sum.firstResolution());
            addQuantiles(gaugeRows, row, "full_resolution", sum.fullResolution());
        });
        gauge("cx.ticket.response.time", "Quantiles of ticket durations that became final in the window",
                "seconds").register(gaugeRows, true);
    }

    private static void addQuantiles(List<MultiGauge.Row<?>> rows, List<String> row, String duration,
            DurationSketch sketch) {
        if (sketch.count() == 0) {
            return;
        }
        for (double q : QUANTILES) {
            rows.add(MultiGauge.Row.of(Tags.of("duration", duration, "window", row.get(0), "quantile",
                    String.valueOf(q), "channel", row.get(1), "priority", row.get(2)), sketch.quantileSeconds(q)));
        }
    }

    private void registerRates(Map<CellWindow, TicketBucket> cells) {
        Map<String, Long> queueVolume = new HashMap<>();
        cells.forEach((key, sum) -> {
            if (key.window() == RollingWindow.DAYS_7 && key.cell().queue() != null) {
                queueVolume.merge(key.cell().queue(), sum.resolved(), Long::sum);
            }
        });
        Set<String> top = new HashSet<>();
        queueVolume.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(topN).forEach(entry -> top.add(entry.getKey()));
        Map<List<String>, TicketBucket> rows = new TreeMap<>(Comparator.comparing(Object::toString));
        cells.forEach((key, sum) -> {
            String window = key.window().label();
            String channel = key.cell().channel() == null ? "none" : key.cell().channel().name();
            String queue = key.cell().queue() == null ? "none"
                    : top.contains(key.cell().queue()) ? key.cell().queue() : LabelCap.OTHER;
            for (List<String> row : List.of(List.of(window, "all", "all"), List.of(window, channel, "all"),
                    List.of(window, "all", queue))) {
                rows.computeIfAbsent(row, r -> TicketBucket.empty()).addAll(sum);
            }
        });
        registerRate("cx.ticket.resolved", "Tickets whose latest resolution fell in the window", rows,
                sum -> sum.resolved() > 0 ? (double) sum.resolved() : null);
        registerRate("cx.ticket.reopen.ratio", "Share of the window's resolved tickets that were reopened", rows,
                TicketBucket::reopenRate);
        registerRate("cx.ticket.one.touch.ratio",
                "Share of the window's resolved tickets resolved with one agent reply and never reopened", rows,
                TicketBucket::oneTouchRate);
    }

    private void registerRate(String name, String description, Map<List<String>, TicketBucket> rows,
            Function<TicketBucket, Double> value) {
        List<MultiGauge.Row<?>> gaugeRows = new ArrayList<>();
        rows.forEach((row, sum) -> {
            Double figure = value.apply(sum);
            if (figure != null) {
                gaugeRows.add(MultiGauge.Row.of(Tags.of("window", row.get(0), "channel", row.get(1), "queue",
                        row.get(2)), figure));
            }
        });
        gauge(name, description, null).register(gaugeRows, true);
    }

    private MultiGauge gauge(String name, String description, String unit) {
        return gauges.computeIfAbsent(name, n -> MultiGauge.builder(n).description(description).baseUnit(unit)
                .register(registry));
    }

    private Timer timer(String name, String description, Tags tags) {
        return timers.computeIfAbsent(name + tags, key -> Timer.builder(name).description(description).tags(tags)
                .serviceLevelObjectives(BUCKETS).register(registry));
    }

    private Counter counter(String name, String description, Tags tags) {
        return counters.computeIfAbsent(name + tags, key -> Counter.builder(name).description(description).tags(tags)
                .register(registry));
    }
}
