package io.cxpulse.streams.ticket;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.cxpulse.avro.Channel;
import io.cxpulse.avro.TicketEvent;
import io.cxpulse.avro.TicketEventType;
import io.cxpulse.avro.TicketPriority;
import io.cxpulse.streams.intake.RecordOrigin;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * What is known of one support ticket, built from its events in any arrival order, and the durations it reports.
 *
 * <p>Events are applied as they arrive ({@link #apply}); the ticket's times are minima and maxima over event time,
 * so arrival order does not matter. Each figure is reported as soon as the events that make it are there, and
 * corrected when a late event changes it ({@link #update}: the figure reported before is retracted and the new one
 * added, in the windows of their own times and cells):
 * <ul>
 *   <li>first response: OPENED to the first AGENT_REPLIED (an earlier reply that arrives later replaces it);</li>
 *   <li>first resolution: OPENED to the first RESOLVED;</li>
 *   <li>full resolution: OPENED to the last RESOLVED while no REOPENED follows it, with whether the ticket was
 *       ever reopened and was resolved in one touch; a REOPENED after it retracts it (the ticket is no longer
 *       resolved), and a new resolution reports it again, as reopened.</li>
 * </ul>
 * The channel, priority and queue a figure counts under are the ticket's latest by event time; a late event that
 * changes them moves the figures to their new cell.
 *
 * <p>Impossible sequences are refused, not applied: a second OPENED, and any event timestamped before the
 * ticket's OPENED. An event on a ticket whose OPENED has not been seen waits, in case the OPENED arrives within
 * the lateness horizon; once the ticket events' progress has passed it by the horizon it is refused as an event on
 * an unknown ticket.
 *
 * <p>A first-response target (per priority) is breached when the ticket has neither an agent reply nor a
 * resolution nor a close by OPENED plus the target; the breach is reported once the ticket events' progress has
 * passed the deadline by the SLA wait with no such answer before it, and its end once the ticket is answered.
 *
 * <p>Deduplication by eventId happens before this class: every event given to it counts.
 */
public final class TicketLifecycle {
    private static final int STATE_VERSION = 2;
    private static final SpecificDatumWriter<TicketEvent> EVENT_WRITER = new SpecificDatumWriter<>(TicketEvent.class);
    private static final SpecificDatumReader<TicketEvent> EVENT_READER = new SpecificDatumReader<>(TicketEvent.class);
    private Instant openedAt;
    private String openedEventId;
    private Instant firstAgentReplyAt;
    private Instant firstResolvedAt;
    private Instant lastResolvedAt;
    private Instant lastReopenedAt;
    private int reopenCount;
    private int agentReplyCount;
    private Channel channel;
    private TicketPriority priority;
    private String queue;
    private TicketEventType status;
    private Instant statusAt;
    private Instant firstClosedAt;
    private final List<Held> waiting = new ArrayList<>();
    private final Map<Kind, Settled> reported = new EnumMap<>(Kind.class);
    private Instant breachDeadline;
    private boolean breachAnswered;
    private boolean slaChecked;

    /** The attributes a duration is counted under, and the ticket's reopen and one-touch state at the time. */
    public record Facets(Channel channel, TicketPriority priority, String queue, boolean reopened, boolean oneTouch) {
    }

    /** A duration the ticket reports, placed at the event time that completed it, with the facets it counts under. */
    public record Settled(Kind kind, Duration duration, Instant at, Facets facets) {
    }

    /** The durations a ticket reports. */
    public enum Kind {
        FIRST_RESPONSE, FIRST_RESOLUTION, FULL_RESOLUTION
    }

    /** An event that describes an impossible sequence, where it was read, and why. */
    public record Refused(TicketEvent event, RecordOrigin origin, String reason) {
    }

    /** An event that waits for its ticket's OPENED, with where it was read. */
    private record Held(TicketEvent event, RecordOrigin origin) {
    }

    /**
     * A first-response target that was breached, or a breach that ended.
     *
     * @param deadline   OPENED plus the target
     * @param target     the target of the ticket's priority
     * @param answeredAt null when the breach is reported; when its end is, the time of the first reply,
     *                   resolution or close
     */
    public record Breach(Instant deadline, Duration target, Instant answeredAt) {
        public boolean ended() {
            return answeredAt != null;
        }
    }

    /**
     * What {@link #update} found: figures reported before and now changed or gone (to take back out of their
     * windows), figures new or changed (to add), waiting events refused, and a breach or its end.
     */
    public record Settlement(List<Settled> retracted, List<Settled> settled, List<Refused> refused, Breach breach) {
    }

    /**
     * Applies {@code event} to the ticket.
     *
     * @return the events refused as impossible: this one, or waiting ones that its OPENED shows to be impossible
     */
    public List<Refused> apply(TicketEvent event, RecordOrigin origin) {
        List<Refused> refused = new ArrayList<>();
        if (openedAt == null && event.getType() != TicketEventType.OPENED) {
            waiting.add(new Held(event, origin));
            return refused;
        }
        boolean opens = openedAt == null; // only an OPENED gets here on a ticket not yet opened
        applyKnown(event, origin, refused);
        if (opens && !waiting.isEmpty()) {
            List<Held> held = new ArrayList<>(waiting);
            waiting.clear();
            held.sort(Comparator.comparing(h -> h.event().getOccurredAt()));
            for (Held earlier : held) {
                applyKnown(earlier.event(), earlier.origin(), refused);
            }
        }
        return refused;
    }

    private void applyKnown(TicketEvent event, RecordOrigin origin, List<Refused> refused) {
        Instant at = event.getOccurredAt();
        if (event.getType() == TicketEventType.OPENED) {
            if (openedAt != null) {
                refused.add(new Refused(event, origin, "ticket " + event.getTicketId() + " was already OPENED at "
                        + openedAt + " (event " + openedEventId + ")"));
                return;
            }
            openedAt = at;
            openedEventId = event.getEventId();
        } else if (at.isBefore(openedAt)) {
            refused.add(new Refused(event, origin, event.getType() + " at " + at + " is timestamped before ticket "
                    + event.getTicketId() + " was OPENED at " + openedAt));
            return;
        }
        switch (event.getType()) {
            case AGENT_REPLIED -> {
                agentReplyCount++;
                firstAgentReplyAt = min(firstAgentReplyAt, at);
            }
            case RESOLVED -> {
                firstResolvedAt = min(firstResolvedAt, at);
                lastResolvedAt = max(lastResolvedAt, at);
            }
            case REOPENED -> {
                reopenCount++;
                lastReopenedAt = max(lastReopenedAt, at);
            }
            case CLOSED -> firstClosedAt = min(firstClosedAt, at);
            default -> {
                // OPENED, CUSTOMER_REPLIED: only the status and attributes below
            }
        }
        if (statusAt == null || !at.isBefore(statusAt)) {
            status = event.getType();
            statusAt = at;
            channel = event.getChannel() != null ? event.getChannel() : channel;
            priority = event.getPriority();
            queue = event.getQueue() != null ? event.getQueue() : queue;
        } else {
            channel = channel != null ? channel : event.getChannel();
            priority = priority != null ? priority : event.getPriority();
            queue = queue != null ? queue : event.getQueue();
        }
    }

    /**
     * Brings the reported figures up to date with what is known, and settles what time decides: with the ticket
     * events' {@code progress} (the latest event time counted), waiting events older than the {@code horizon}
     * behind it are refused, and a first-response target (by priority in {@code targets}; a priority without one
     * has no target) whose deadline it has passed by {@code slaWait} with no answer before it is a breach.
     */
    public Settlement update(Instant progress, Duration horizon, Duration slaWait,
            Map<TicketPriority, Duration> targets) {
        List<Settled> retracted = new ArrayList<>();
        List<Settled> settled = new ArrayList<>();
        List<Refused> refused = new ArrayList<>();
        if (openedAt == null) {
            Instant closed = progress.minus(horizon);
            waiting.removeIf(held -> {
                TicketEvent event = held.event();
                if (event.getOccurredAt().isBefore(closed)) {
                    refused.add(new Refused(event, held.origin(), event.getType() + " on ticket "
                            + event.getTicketId() + ", which has no OPENED event within the lateness horizon of "
                            + horizon));
                    return true;
                }
                return false;
            });
            return new Settlement(retracted, settled, refused, null);
        }
        for (Kind kind : Kind.values()) {
            Settled now = current(kind);
            Settled before = reported.get(kind);
            if (!Objects.equals(now, before)) {
                if (before != null) {
                    retracted.add(before);
                }
                if (now != null) {
                    settled.add(now);
                    reported.put(kind, now);
                } else {
                    reported.remove(kind);
                }
            }
        }
        return new Settlement(retracted, settled, refused, breach(progress.minus(slaWait), targets));
    }

    /** The figure of {@code kind} as the ticket stands, or null when it has none. */
    private Settled current(Kind kind) {
        Facets cell = new Facets(channel, priority, queue, false, false);
        return switch (kind) {
            case FIRST_RESPONSE -> firstAgentReplyAt == null ? null : new Settled(kind,
                    Duration.between(openedAt, firstAgentReplyAt), firstAgentReplyAt, cell);
            case FIRST_RESOLUTION -> firstResolvedAt == null ? null : new Settled(kind,
                    Duration.between(openedAt, firstResolvedAt), firstResolvedAt, cell);
            case FULL_RESOLUTION -> !resolvedNow() ? null : new Settled(kind,
                    Duration.between(openedAt, lastResolvedAt), lastResolvedAt, facets());
        };
    }

    /** Whether the ticket's last RESOLVED has no REOPENED after it. */
    private boolean resolvedNow() {
        return lastResolvedAt != null && (lastReopenedAt == null || lastReopenedAt.isBefore(lastResolvedAt));
    }

    private Breach breach(Instant closed, Map<TicketPriority, Duration> targets) {
        if (breachDeadline != null) {
            Instant answered = answeredAt();
            if (!breachAnswered && answered != null) {
                breachAnswered = true;
                return new Breach(breachDeadline, Duration.between(openedAt, breachDeadline), answered);
            }
            return null;
        }
        Duration target = priority == null ? null : targets.get(priority);
        if (slaChecked || target == null) {
            return null;
        }
        Instant deadline = openedAt.plus(target);
        if (!deadline.isBefore(closed)) {
            return null;
        }
        slaChecked = true;
        Instant answered = answeredAt();
        if (answered != null && !answered.isAfter(deadline)) {
            return null;
        }
        breachDeadline = deadline;
        return new Breach(deadline, target, null);
    }

    /** The first agent reply, resolution or close, or null. */
    private Instant answeredAt() {
        return min(min(firstAgentReplyAt, firstResolvedAt), firstClosedAt);
    }

    /**
     * The earliest progress of the ticket events at which {@link #update} would settle something by time alone: a
     * waiting event's refusal, or the first-response deadline plus the SLA wait; MAX_VALUE when nothing waits.
     */
    public long nextDue(Duration horizon, Duration slaWait, Map<TicketPriority, Duration> targets) {
        long due = Long.MAX_VALUE;
        if (openedAt == null) {
            for (Held held : waiting) {
                due = Math.min(due, held.event().getOccurredAt().toEpochMilli() + horizon.toMillis() + 1);
            }
            return due;
        }
        Duration target = priority == null ? null : targets.get(priority);
        if (!slaChecked && breachDeadline == null && target != null) {
            due = Math.min(due, openedAt.plus(target).toEpochMilli() + slaWait.toMillis() + 1);
        }
        return due;
    }

    /** Whether nothing is known of the ticket: not opened, and no event waits. */
    public boolean isEmpty() {
        return openedAt == null && waiting.isEmpty();
    }

    /** The event time of the ticket's latest event, or null before its OPENED. */
    public Instant lastEventAt() {
        return statusAt;
    }

    private Facets facets() {
        return new Facets(channel, priority, queue, reopenCount > 0, oneTouch());
    }

    /** Whether the ticket is open and has no agent reply yet (false until its OPENED is seen). */
    public boolean awaitingFirstResponse() {
        return openedAt != null && firstAgentReplyAt == null && status != TicketEventType.RESOLVED
                && status != TicketEventType.CLOSED;
    }

    /** Whether the ticket was resolved with one agent reply and never reopened. */
    public boolean oneTouch() {
        return lastResolvedAt != null && reopenCount == 0 && agentReplyCount == 1;
    }

    public Instant openedAt() {
        return openedAt;
    }

    public Instant firstAgentReplyAt() {
        return firstAgentReplyAt;
    }

    public Instant firstResolvedAt() {
        return firstResolvedAt;
    }

    public Instant lastResolvedAt() {
        return lastResolvedAt;
    }

    public int reopenCount() {
        return reopenCount;
    }

    public Channel channel() {
        return channel;
    }

    public TicketPriority priority() {
        return priority;
    }

    public String queue() {
        return queue;
    }

    /** The type of the ticket's latest event by event time. */
    public TicketEventType status() {
        return status;
    }

    /** How many events wait for the ticket's OPENED. */
    public int waiting() {
        return waiting.size();
    }

    /**
     * Writes the whole state (for a state store and its changelog): a version, the times as nullable epoch
     * milliseconds, counts, attributes by symbol name (not ordinal, so that a symbol added to an enum keeps the
     * others), the figures reported (kind by name, duration, time, facets), and the waiting events with their
     * origins, the events in Avro binary.
     */
    void writeTo(DataOutputStream out) throws IOException {
        out.writeByte(STATE_VERSION);
        for (Instant time : new Instant[] {openedAt, firstAgentReplyAt, firstResolvedAt, lastResolvedAt,
                lastReopenedAt, statusAt, firstClosedAt, breachDeadline}) {
            writeInstant(out, time);
        }
        out.writeInt(reopenCount);
        out.writeInt(agentReplyCount);
        writeString(out, openedEventId);
        writeFacets(out, channel, priority, queue);
        writeString(out, status == null ? null : status.name());
        out.writeBoolean(breachAnswered);
        out.writeBoolean(slaChecked);
        out.writeInt(reported.size());
        for (Settled figure : reported.values()) {
            out.writeUTF(figure.kind().name());
            out.writeLong(figure.duration().toMillis());
            out.writeLong(figure.at().toEpochMilli());
            Facets facets = figure.facets();
            writeFacets(out, facets.channel(), facets.priority(), facets.queue());
            out.writeBoolean(facets.reopened());
            out.writeBoolean(facets.oneTouch());
        }
        out.writeInt(waiting.size());
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        for (Held held : waiting) {
            RecordOrigin origin = held.origin();
            out.writeUTF(origin.topic());
            out.writeInt(origin.partition());
            out.writeLong(origin.offset());
            out.writeLong(origin.timestamp());
            out.writeInt(origin.value() == null ? -1 : origin.value().length);
            if (origin.value() != null) {
                out.write(origin.value());
            }
            EVENT_WRITER.write(held.event(), encoder);
            encoder.flush();
        }
    }

    /** Reads what {@link #writeTo} wrote. */
    static TicketLifecycle readFrom(DataInputStream in) throws IOException {
        int version = in.readUnsignedByte();
        if (version != STATE_VERSION) {
            throw new IOException("unknown ticket state version " + version);
        }
        TicketLifecycle ticket = new TicketLifecycle();
        ticket.openedAt = readInstant(in);
        ticket.firstAgentReplyAt = readInstant(in);
        ticket.firstResolvedAt = readInstant(in);
        ticket.lastResolvedAt = readInstant(in);
        ticket.lastReopenedAt = readInstant(in);
        ticket.statusAt = readInstant(in);
        ticket.firstClosedAt = readInstant(in);
        ticket.breachDeadline = readInstant(in);
        ticket.reopenCount = in.readInt();
        ticket.agentReplyCount = in.readInt();
        ticket.openedEventId = readString(in);
        Facets attributes = readFacets(in, false);
        ticket.channel = attributes.channel();
        ticket.priority = attributes.priority();
        ticket.queue = attributes.queue();
        String status = readString(in);
        ticket.status = status == null ? null : TicketEventType.valueOf(status);
        ticket.breachAnswered = in.readBoolean();
        ticket.slaChecked = in.readBoolean();
        int reported = in.readInt();
        for (int i = 0; i < reported; i++) {
            Kind kind = Kind.valueOf(in.readUTF());
            Duration duration = Duration.ofMillis(in.readLong());
            Instant at = Instant.ofEpochMilli(in.readLong());
            ticket.reported.put(kind, new Settled(kind, duration, at, readFacets(in, true)));
        }
        int waiting = in.readInt();
        BinaryDecoder decoder = DecoderFactory.get().directBinaryDecoder(in, null);
        for (int i = 0; i < waiting; i++) {
            String topic = in.readUTF();
            int partition = in.readInt();
            long offset = in.readLong();
            long timestamp = in.readLong();
            int length = in.readInt();
            byte[] value = length < 0 ? null : in.readNBytes(length);
            if (value != null && value.length != length) {
                throw new IOException("a waiting event's bytes end early");
            }
            TicketEvent event = EVENT_READER.read(null, decoder);
            ticket.waiting.add(new Held(event, new RecordOrigin(topic, partition, offset, timestamp, value)));
        }
        return ticket;
    }

    private static void writeFacets(DataOutputStream out, Channel channel, TicketPriority priority, String queue)
            throws IOException {
        writeString(out, channel == null ? null : channel.name());
        writeString(out, priority == null ? null : priority.name());
        writeString(out, queue);
    }

    /** Reads the attributes {@link #writeFacets} wrote, then the two flags if {@code flags}. */
    private static Facets readFacets(DataInputStream in, boolean flags) throws IOException {
        String channel = readString(in);
        String priority = readString(in);
        String queue = readString(in);
        boolean reopened = flags && in.readBoolean();
        boolean oneTouch = flags && in.readBoolean();
        return new Facets(channel == null ? null : Channel.valueOf(channel),
                priority == null ? null : TicketPriority.valueOf(priority), queue, reopened, oneTouch);
    }

    private static void writeInstant(DataOutputStream out, Instant time) throws IOException {
        out.writeBoolean(time != null);
        if (time != null) {
            out.writeLong(time.toEpochMilli());
        }
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochMilli(in.readLong()) : null;
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        out.writeBoolean(text != null);
        if (text != null) {
            out.writeUTF(text);
        }
    }

    private static String readString(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static Instant min(Instant a, Instant b) {
        return a == null || b != null && b.isBefore(a) ? b : a;
    }

    private static Instant max(Instant a, Instant b) {
        return a == null || b != null && b.isAfter(a) ? b : a;
    }
}
