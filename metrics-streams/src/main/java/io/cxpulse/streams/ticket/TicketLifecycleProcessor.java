package io.cxpulse.streams.ticket;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import io.cxpulse.avro.AlertKind;
import io.cxpulse.avro.AlertState;
import io.cxpulse.avro.CxAlert;
import io.cxpulse.avro.DeadLetter;
import io.cxpulse.avro.DeadLetterReason;
import io.cxpulse.avro.TicketEvent;
import io.cxpulse.avro.TicketPriority;
import io.cxpulse.streams.intake.DeadLetters;
import io.cxpulse.streams.intake.EventIntake.Fresh;
import io.cxpulse.streams.intake.RecordOrigin;
import io.cxpulse.streams.ticket.TicketLifecycle.Breach;
import io.cxpulse.streams.ticket.TicketLifecycle.Refused;
import io.cxpulse.streams.ticket.TicketLifecycle.Settled;
import io.cxpulse.streams.ticket.TicketLifecycle.Settlement;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps every ticket's {@link TicketLifecycle} by ticketId, on the input partitions (the topic is keyed by
 * ticketId). Each fresh event is applied and its ticket updated at once, so its figures are out within seconds;
 * a due index (by the ticket events' progress at which a ticket's first-response deadline or waiting events fall
 * due, or it expires) lets a wall-clock punctuator settle those as the progress moves on, without reading every
 * ticket. The progress is the task's stream time, which only ticket events move. It sends on: each figure
 * reported, as a one-duration bucket keyed by cell and timestamped at the event that completed it, and each one
 * a late event changed, as its retraction at its own time and cell before the new one; refused events as
 * IMPOSSIBLE_SEQUENCE dead letters with their original coordinates; and first-response breaches, and their ends,
 * as alerts. It also keeps the tickets awaiting a first reply, for the backlog gauge.
 */
final class TicketLifecycleProcessor
        implements Processor<String, Fresh<TicketEvent>, String, TicketLifecycleProcessor.Out> {
    static final String NAME = "ticket-lifecycle";
    /** Ticket state by ticketId; its name is part of the app's contract. */
    static final String TICKETS_STORE = "ticket-lifecycles";
    /** The due index: {@code dueTime|ticketId}, in event-time order; its name is part of the app's contract. */
    static final String DUE_STORE = "ticket-due";
    /** Tickets awaiting a first reply: ticketId to {@code PRIORITY|openedAt}; part of the app's contract. */
    static final String AWAITING_STORE = "ticket-awaiting";
    private static final int MAX_DUE_PER_PUNCTUATION = 100_000;

    /** What the processor sends on. */
    sealed interface Out permits DurationOut, DeadOut, AlertOut {
    }

    /** A duration (or a retraction) for the windows, keyed by cell. */
    record DurationOut(TicketBucket bucket) implements Out {
    }

    /** A refused event for the dead-letter topic. */
    record DeadOut(DeadLetter deadLetter) implements Out {
    }

    /** A first-response breach or its end, for the alerts topic. */
    record AlertOut(CxAlert alert) implements Out {
    }

    private final TicketSettings settings;
    private final TicketObserver observer;
    private ProcessorContext<String, Out> context;
    private KeyValueStore<String, TicketLifecycle> tickets;
    private KeyValueStore<String, String> due;
    private KeyValueStore<String, String> awaiting;
    private String task;

    TicketLifecycleProcessor(TicketSettings settings, TicketObserver observer) {
        this.settings = settings;
        this.observer = observer;
    }

    @Override
    public void init(ProcessorContext<String, Out> context) {
        this.context = context;
        this.task = context.taskId().toString();
        this.tickets = context.getStateStore(TICKETS_STORE);
        this.due = context.getStateStore(DUE_STORE);
        this.awaiting = context.getStateStore(AWAITING_STORE);
        context.schedule(settings.settleInterval(), PunctuationType.WALL_CLOCK_TIME, now -> settleDue());
        if (context.currentStreamTimeMs() >= 0) {
            // known from the committed offsets, before the first punctuation (see SurveyWindows#init)
            observer.streamTime(task, context.currentStreamTimeMs());
        }
    }

    @Override
    public void process(Record<String, Fresh<TicketEvent>> record) {
        Fresh<TicketEvent> fresh = record.value();
        TicketEvent event = fresh.event();
        String ticketId = event.getTicketId();
        RecordOrigin origin = RecordOrigin.of(context, fresh.raw(), fresh.kafkaTimestamp());
        TicketLifecycle ticket = tickets.get(ticketId);
        Snapshot before = ticket == null ? Snapshot.NONE : snapshot(ticket);
        ticket = ticket == null ? new TicketLifecycle() : ticket;
        deadLetter(ticketId, ticket.apply(event, origin));
        settle(ticketId, ticket, before, context.currentStreamTimeMs());
    }

    @Override
    public void close() {
        observer.closed(task);
    }

    /** Settles every ticket that fell due by stream time, then reports the backlog. */
    void settleDue() {
        long streamTime = context.currentStreamTimeMs();
        if (streamTime < 0) {
            return;
        }
        observer.streamTime(task, streamTime);
        List<KeyValue<String, String>> fallen = new ArrayList<>();
        try (KeyValueIterator<String, String> iterator = due.range(DueKey.lowest(), DueKey.upTo(streamTime))) {
            while (iterator.hasNext() && fallen.size() < MAX_DUE_PER_PUNCTUATION) {
                fallen.add(iterator.next());
            }
        }
        for (KeyValue<String, String> entry : fallen) {
            String ticketId = entry.value;
            TicketLifecycle ticket = tickets.get(ticketId);
            if (ticket == null) {
                due.delete(entry.key);
                continue;
            }
            settle(ticketId, ticket, snapshot(ticket), streamTime);
        }
        reportBacklog(streamTime);
    }

    /** What the indexes hold for a ticket, to update them only when it changed. */
    private record Snapshot(long due, String awaiting) {
        static final Snapshot NONE = new Snapshot(Long.MAX_VALUE, null);
    }

    private Snapshot snapshot(TicketLifecycle ticket) {
        return new Snapshot(dueOf(ticket), awaitingOf(ticket));
    }

    private long dueOf(TicketLifecycle ticket) {
        long due = ticket.nextDue(settings.intake().horizon(), settings.slaWait(), settings.targets());
        Instant last = ticket.lastEventAt();
        return last == null ? due : Math.min(due, last.toEpochMilli() + settings.ticketRetention().toMillis());
    }

    private static String awaitingOf(TicketLifecycle ticket) {
        return ticket.awaitingFirstResponse() ? ticket.priority() + "|" + ticket.openedAt().toEpochMilli() : null;
    }

    private void settle(String ticketId, TicketLifecycle ticket, Snapshot before, long streamTime) {
        if (streamTime >= 0) {
            Settlement settlement = ticket.update(Instant.ofEpochMilli(streamTime), settings.intake().horizon(),
                    settings.slaWait(), settings.targets());
            deadLetter(ticketId, settlement.refused());
            for (Settled old : settlement.retracted()) {
                observer.retracted(old);
                forward(TicketCell.of(old.facets()).key(), new DurationOut(TicketBucket.retraction(old)),
                        old.at().toEpochMilli());
            }
            for (Settled settled : settlement.settled()) {
                observer.settled(settled);
                forward(TicketCell.of(settled.facets()).key(), new DurationOut(TicketBucket.of(settled)),
                        settled.at().toEpochMilli());
            }
            if (settlement.breach() != null) {
                alert(ticketId, ticket, settlement.breach(), streamTime);
            }
        }
        Instant last = ticket.lastEventAt();
        boolean expired = last != null && streamTime >= last.toEpochMilli() + settings.ticketRetention().toMillis()
                && ticket.nextDue(settings.intake().horizon(), settings.slaWait(), settings.targets())
                == Long.MAX_VALUE;
        boolean gone = ticket.isEmpty() || expired;
        Snapshot after = gone ? Snapshot.NONE : snapshot(ticket);
        if (before.due() != after.due()) {
            if (before.due() != Long.MAX_VALUE) {
                due.delete(DueKey.of(before.due(), ticketId));
            }
            if (after.due() != Long.MAX_VALUE) {
                due.put(DueKey.of(after.due(), ticketId), ticketId);
            }
        }
        if (!Objects.equals(before.awaiting(), after.awaiting())) {
            if (after.awaiting() == null) {
                awaiting.delete(ticketId);
            } else {
                awaiting.put(ticketId, after.awaiting());
            }
        }
        if (gone) {
            tickets.delete(ticketId);
        } else {
            tickets.put(ticketId, ticket);
        }
    }

    private void deadLetter(String ticketId, List<Refused> refused) {
        for (Refused refusal : refused) {
            observer.deadLettered(DeadLetterReason.IMPOSSIBLE_SEQUENCE);
            DeadLetter deadLetter = DeadLetters.of(refusal.origin(), ticketId, DeadLetterReason.IMPOSSIBLE_SEQUENCE,
                    refusal.reason(), NAME, context.currentSystemTimeMs());
            context.forward(new Record<>(ticketId, (Out) new DeadOut(deadLetter),
                    refusal.event().getOccurredAt().toEpochMilli()));
        }
    }

    private void alert(String ticketId, TicketLifecycle ticket, Breach breach, long streamTime) {
        if (!breach.ended()) {
            observer.breached(ticket.priority());
        }
        Map<String, String> dimension = new HashMap<>();
        dimension.put("ticketId", ticketId);
        dimension.put("priority", String.valueOf(ticket.priority()));
        if (ticket.channel() != null) {
            dimension.put("channel", ticket.channel().name());
        }
        if (ticket.queue() != null) {
            dimension.put("queue", ticket.queue());
        }
        Instant end = breach.ended() ? breach.answeredAt() : breach.deadline();
        CxAlert alert = CxAlert.newBuilder()
                .setAlertId(UUID.nameUUIDFromBytes(("first-response|" + ticketId).getBytes(StandardCharsets.UTF_8))
                        .toString())
                .setKind(AlertKind.FIRST_RESPONSE_SLA).setDimension(dimension)
                .setState(breach.ended() ? AlertState.RESOLVED : AlertState.OPENED)
                .setSeverity(urgent(ticket.priority()) ? "critical" : "warning")
                .setObserved(seconds(Duration.between(ticket.openedAt(), end)))
                .setBaseline(seconds(breach.target())).setZScore(null).setSampleSize(1)
                .setWindow(label(breach.target())).setBaselineWindow(label(breach.target()))
                .setWindowStart(ticket.openedAt()).setWindowEnd(end)
                .setEmittedAt(Instant.ofEpochMilli(context.currentSystemTimeMs())).build();
        context.forward(new Record<>("ticket|" + ticketId, (Out) new AlertOut(alert), streamTime));
    }

    /** URGENT and HIGH breaches page, as the Prometheus rule does; the others are warnings. */
    private static boolean urgent(TicketPriority priority) {
        return priority == TicketPriority.URGENT || priority == TicketPriority.HIGH;
    }

    private void forward(String key, Out out, long timestamp) {
        context.forward(new Record<>(key, out, timestamp));
    }

    private void reportBacklog(long streamTime) {
        Map<TicketPriority, long[]> counts = new EnumMap<>(TicketPriority.class);
        try (KeyValueIterator<String, String> all = awaiting.all()) {
            all.forEachRemaining(entry -> {
                int bar = entry.value.indexOf('|');
                TicketPriority priority = TicketPriority.valueOf(entry.value.substring(0, bar));
                long openedAt = Long.parseLong(entry.value.substring(bar + 1));
                counts.computeIfAbsent(priority, p -> new long[BacklogAge.values().length])
                        [BacklogAge.of(streamTime - openedAt).ordinal()]++;
            });
        }
        observer.backlog(task, counts);
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    /** A target as a window label: 15m, 4h, 90s. */
    static String label(Duration target) {
        long seconds = target.toSeconds();
        return seconds % 3600 == 0 ? seconds / 3600 + "h" : seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    /** Keys of the due index, which sort by due time: the time with its sign bit flipped, in 16 hex digits. */
    static final class DueKey {
        private DueKey() {
        }

        static String of(long dueTime, String ticketId) {
            return String.format("%016x", dueTime ^ Long.MIN_VALUE) + "|" + ticketId;
        }

        static String lowest() {
            return "";
        }

        /**
         * An upper bound, inclusive, for the keys of tickets due at or before {@code time}: the bare time after it,
         * which sorts after every key of {@code time} and before every key of its own.
         */
        static String upTo(long time) {
            return String.format("%016x", (time + 1) ^ Long.MIN_VALUE);
        }
    }
}
