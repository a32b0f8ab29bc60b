package io.cxpulse.streams.metrics;

import java.time.Duration;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.cxpulse.avro.TicketEvent;
import io.cxpulse.avro.TicketPriority;
import io.cxpulse.streams.ticket.BacklogAge;
import io.cxpulse.streams.ticket.TicketBucket;
import io.cxpulse.streams.ticket.TicketCell;
import io.cxpulse.streams.ticket.TicketLifecycle.Settled;
import io.cxpulse.streams.ticket.TicketObserver;
import io.cxpulse.streams.window.DurationSketch;
import io.cxpulse.streams.window.RollingWindow;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The ticket topology's meters.
 * <ul>
 *   <li>Counters: {@code cx_ticket_events_total{type,priority,channel}} after deduplication, dead letters,
 *       duplicates and late events with {@code type="ticket_event"}, {@code cx_ticket_sla_breaches_total{priority}},
 *       {@code cx_ticket_figures_retracted_total{duration,channel,priority}}.</li>
 *   <li>Histograms, observed each time a duration is reported: {@code cx_ticket_first_response_seconds} and
 *       {@code cx_ticket_resolution_seconds} ({@code resolution="first"} or {@code "full"}), labelled
 *       {@code channel, priority}. A figure that a late event changed, or a ticket reopened and resolved again,
 *       is observed again (a histogram cannot take an observation back; the retracted count says how often):
 *       the windowed gauges below, the aggregates topic and the query API take it back exactly.</li>
 *   <li>Gauges of the windows at stream time: {@code cx_ticket_response_time_seconds{duration,window,quantile,
 *       channel,priority}} (p50, p90, p99 of first_response, first_resolution and full_resolution, for all
 *       tickets, per channel and per priority; the others "all"), {@code cx_ticket_resolved},
 *       {@code cx_ticket_reopen_ratio} and {@code cx_ticket_one_touch_ratio} {@code {window,channel,queue}} (the
 *       queues of the {@link LabelSet} keep their label, the rest are "other"), and
 *       {@code cx_tickets_awaiting_first_response{priority,age}}.</li>
 * </ul>
 * Gauges cover the tasks running in this instance.
 */
public final class TicketMetrics extends IntakeMeters<TicketEvent, TicketMetrics.CellWindow, TicketBucket>
        implements TicketObserver {
    private static final double[] QUANTILES = {0.5, 0.9, 0.99};
    private static final Duration[] BUCKETS = {Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15),
            Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(8),
            Duration.ofHours(24), Duration.ofHours(48), Duration.ofDays(7)};
    private static final String RESOLUTION =
            "OPENED to RESOLVED (first, or full: the last), observed each time it is reported";
    private static final List<String> RATE_LABELS = List.of("window", "channel", "queue");
    private final LabelSet queues;
    private final Map<String, Map<TicketPriority, long[]>> backlog = new ConcurrentHashMap<>();

    public TicketMetrics(MeterRegistry registry, int topN) {
        this(registry, LabelSet.firstSeen(topN));
    }

    public TicketMetrics(MeterRegistry registry, LabelSet queues) {
        super(registry, "ticket_event");
        this.queues = queues;
    }

    /** A cell and a window: the board holds the latest sums of each. */
    record CellWindow(TicketCell cell, RollingWindow window) {
    }

    @Override
    public void counted(TicketEvent event) {
        meters.counter("cx.ticket.events", "Ticket events counted once each (after deduplication)",
                "type", event.getType().name(), "priority", event.getPriority().name(), "channel",
                event.getChannel() == null ? "none" : event.getChannel().name()).increment();
    }



    @Override
    public void settled(Settled settled) {
        String channel = settled.facets().channel() == null ? "none" : settled.facets().channel().name();
        String priority = String.valueOf(settled.facets().priority());
        switch (settled.kind()) {
            case FIRST_RESPONSE -> timer("cx.ticket.first.response",
                    "OPENED to first AGENT_REPLIED, observed each time it is reported",
                    "channel", channel, "priority", priority).record(settled.duration());
            case FIRST_RESOLUTION -> timer("cx.ticket.resolution", RESOLUTION,
                    "channel", channel, "priority", priority, "resolution", "first").record(settled.duration());
            case FULL_RESOLUTION -> timer("cx.ticket.resolution", RESOLUTION,
                    "channel", channel, "priority", priority, "resolution", "full").record(settled.duration());
            default -> {
            }
        }
    }

    @Override
    public void retracted(Settled retracted) {
        meters.counter("cx.ticket.figures.retracted", "Ticket durations reported and then taken back, because a "
                        + "late event changed them or a reopen undid a resolution",
                "duration", retracted.kind().name().toLowerCase(Locale.ROOT),
                "channel", retracted.facets().channel() == null ? "none" : retracted.facets().channel().name(),
                "priority", String.valueOf(retracted.facets().priority())).increment();
    }

    @Override
    public void breached(TicketPriority priority) {
        meters.counter("cx.ticket.sla.breaches", "Tickets that had no first reply within their priority's target",
                "priority", String.valueOf(priority)).increment();
    }

    @Override
    public void backlog(String task, Map<TicketPriority, long[]> counts) {
        backlog.put(task, counts);
    }

    @Override
    public void window(String task, TicketCell cell, RollingWindow window, long windowEnd, TicketBucket sum) {
        board.put(task, new CellWindow(cell, window), sum.copy());
    }


    @Override
    public void closed(String task) {
        board.closed(task);
        backlog.remove(task);
    }


    /** Sets the gauges from the latest windows and backlog; call before a scrape. */
    public void refreshGauges() {
        Map<CellWindow, TicketBucket> cells = board.merged(TicketBucket::copy, TicketBucket::addAll);
        registerDurations(cells);
        registerRates(cells);
        Map<List<String>, Long> rows = new TreeMap<>(Comparator.comparing(Object::toString));
        Map<TicketPriority, long[]> total = new EnumMap<>(TicketPriority.class);
        backlog.values().forEach(task -> task.forEach((priority, counts) -> {
            long[] sum = total.computeIfAbsent(priority, p -> new long[BacklogAge.values().length]);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += counts[i];
            }
        }));
        total.forEach((priority, counts) -> {
            for (BacklogAge age : BacklogAge.values()) {
                rows.put(List.of(priority.name(), age.label()), counts[age.ordinal()]);
            }
        });
        meters.gauge("cx.tickets.awaiting.first.response",
                "Open tickets with no agent reply yet, by age at stream time", null, List.of("priority", "age"), rows,
                Long::doubleValue);
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
        Map<List<String>, Double> quantiles = new TreeMap<>(Comparator.comparing(Object::toString));
        rows.forEach((row, sum) -> {
            addQuantiles(quantiles, row, "first_response", sum.firstResponse());
            addQuantiles(quantiles, row, "first_resolution", sum.firstResolution());
            addQuantiles(quantiles, row, "full_resolution", sum.fullResolution());
        });
        meters.gauge("cx.ticket.response.time", "Quantiles of ticket durations that became final in the window",
                "seconds", List.of("duration", "window", "quantile", "channel", "priority"), quantiles,
                Function.identity());
    }

    private static void addQuantiles(Map<List<String>, Double> rows, List<String> row, String duration,
            DurationSketch sketch) {
        if (sketch.count() == 0) {
            return;
        }
        for (double q : QUANTILES) {
            rows.put(List.of(duration, row.get(0), String.valueOf(q), row.get(1), row.get(2)),
                    sketch.quantileSeconds(q));
        }
    }

    private void registerRates(Map<CellWindow, TicketBucket> cells) {
        Map<String, Long> queueVolume = new HashMap<>();
        cells.forEach((key, sum) -> {
            if (key.window() == RollingWindow.DAYS_7 && key.cell().queue() != null) {
                queueVolume.merge(key.cell().queue(), sum.resolved(), Long::sum);
            }
        });
        Set<String> top = queues.gaugeLabels(queueVolume);
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
        meters.gauge("cx.ticket.resolved", "Tickets whose latest resolution fell in the window", null, RATE_LABELS,
                rows, sum -> sum.resolved() > 0 ? (double) sum.resolved() : null);
        meters.gauge("cx.ticket.reopen.ratio", "Share of the window's resolved tickets that were reopened", null,
                RATE_LABELS, rows, TicketBucket::reopenRate);
        meters.gauge("cx.ticket.one.touch.ratio",
                "Share of the window's resolved tickets resolved with one agent reply and never reopened", null,
                RATE_LABELS, rows, TicketBucket::oneTouchRate);
    }



    private Timer timer(String name, String description, String... tags) {
        return meters.meter(name, tags, t -> Timer.builder(name).description(description).tags(t)
                .serviceLevelObjectives(BUCKETS).register(meters.registry()));
    }

}
