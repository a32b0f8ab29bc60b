package io.cxpulse.streams.ticket;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.cxpulse.avro.Channel;
import io.cxpulse.avro.TicketEvent;
import io.cxpulse.avro.TicketEventType;
import io.cxpulse.avro.TicketPriority;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * What is known of one support ticket, built from its events in any arrival order within the grace period, and
 * the durations that have become final.
 *
 * <p>Events are applied as they arrive ({@link #apply}); the ticket's times are minima and maxima over event time,
 * so arrival order does not matter. A duration is final once no event that could change it can still arrive: an
 * event at time t is accepted while stream time minus grace is at most t, so the first agent reply at r can no
 * longer be undercut once stream time minus grace has passed r. {@link #settle} reports each duration the first
 * time it is final:
 * <ul>
 *   <li>first response: OPENED to the first AGENT_REPLIED;</li>
 *   <li>first resolution: OPENED to the first RESOLVED;</li>
 *   <li>full resolution: OPENED to the last RESOLVED, once that resolution is final and no REOPENED follows it;
 *       a ticket reopened and resolved again reports its full resolution again, marked as superseding the
 *       earlier one.</li>
 * </ul>
 *
 * <p>Impossible sequences are refused, not applied: a second OPENED, and any event timestamped before the
 * ticket's OPENED. An event on a ticket whose OPENED has not been seen waits, in case the OPENED arrives within
 * the grace period; once that has passed it is refused as an event on an unknown ticket.
 *
 * <p>Deduplication by eventId happens before this class: every event given to it counts.
 */
public final class TicketLifecycle {
    private static final int STATE_VERSION = 1;
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
    private final List<TicketEvent> waiting = new ArrayList<>();
    private boolean firstResponseReported;
    private boolean firstResolutionReported;
    private Instant fullResolutionReportedFor;

    /** A duration that has become final, placed at the event time that completed it. */
    public record Settled(Kind kind, Duration duration, Instant at, boolean supersedes) {
    }

    /** The durations a ticket reports. */
    public enum Kind {
        FIRST_RESPONSE, FIRST_RESOLUTION, FULL_RESOLUTION
    }

    /** An event that describes an impossible sequence, and why. */
    public record Refused(TicketEvent event, String reason) {
    }

    /** What {@link #settle} found: durations newly final, and waiting events refused. */
    public record Settlement(List<Settled> settled, List<Refused> refused) {
    }

    /**
     * Applies {@code event} to the ticket.
     *
     * @return the events refused as impossible: this one, or waiting ones that its OPENED shows to be impossible
     */
    public List<Refused> apply(TicketEvent event) {
        List<Refused> refused = new ArrayList<>();
        if (openedAt == null && event.getType() != TicketEventType.OPENED) {
            waiting.add(event);
            return refused;
        }
        boolean opens = openedAt == null; // only an OPENED gets here on a ticket not yet opened
        applyKnown(event, refused);
        if (opens && !waiting.isEmpty()) {
            List<TicketEvent> held = new ArrayList<>(waiting);
            waiting.clear();
            held.sort(Comparator.comparing(TicketEvent::getOccurredAt));
            for (TicketEvent earlier : held) {
                applyKnown(earlier, refused);
            }
        }
        return refused;
    }

    private void applyKnown(TicketEvent event, List<Refused> refused) {
        Instant at = event.getOccurredAt();
        if (event.getType() == TicketEventType.OPENED) {
            if (openedAt != null) {
                refused.add(new Refused(event, "ticket " + event.getTicketId() + " was already OPENED at "
                        + openedAt + " (event " + openedEventId + ")"));
                return;
            }
            openedAt = at;
            openedEventId = event.getEventId();
        } else if (at.isBefore(openedAt)) {
            refused.add(new Refused(event, event.getType() + " at " + at + " is timestamped before ticket "
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
            default -> {
                // OPENED, CUSTOMER_REPLIED, CLOSED: only the status and attributes below
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
     * The durations that have become final by {@code streamTime} with {@code grace}, each reported once (a full
     * resolution again when it moved), and the waiting events whose OPENED can no longer arrive.
     */
    public Settlement settle(Instant streamTime, Duration grace) {
        Instant closed = streamTime.minus(grace);
        List<Settled> settled = new ArrayList<>();
        List<Refused> refused = new ArrayList<>();
        if (openedAt == null) {
            waiting.removeIf(event -> {
                if (event.getOccurredAt().isBefore(closed)) {
                    refused.add(new Refused(event, event.getType() + " on ticket " + event.getTicketId()
                            + ", which has no OPENED event within the grace period of " + grace));
                    return true;
                }
                return false;
            });
            return new Settlement(settled, refused);
        }
        if (!firstResponseReported && firstAgentReplyAt != null && firstAgentReplyAt.isBefore(closed)) {
            firstResponseReported = true;
            settled.add(new Settled(Kind.FIRST_RESPONSE, Duration.between(openedAt, firstAgentReplyAt),
                    firstAgentReplyAt, false));
        }
        if (!firstResolutionReported && firstResolvedAt != null && firstResolvedAt.isBefore(closed)) {
            firstResolutionReported = true;
            settled.add(new Settled(Kind.FIRST_RESOLUTION, Duration.between(openedAt, firstResolvedAt),
                    firstResolvedAt, false));
        }
        boolean resolvedNow = lastResolvedAt != null
                && (lastReopenedAt == null || lastReopenedAt.isBefore(lastResolvedAt));
        if (resolvedNow && lastResolvedAt.isBefore(closed) && !lastResolvedAt.equals(fullResolutionReportedFor)) {
            boolean supersedes = fullResolutionReportedFor != null;
            fullResolutionReportedFor = lastResolvedAt;
            settled.add(new Settled(Kind.FULL_RESOLUTION, Duration.between(openedAt, lastResolvedAt),
                    lastResolvedAt, supersedes));
        }
        return new Settlement(settled, refused);
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
     * others), the report marks, and the waiting events in Avro binary.
     */
    void writeTo(DataOutputStream out) throws IOException {
        out.writeByte(STATE_VERSION);
        for (Instant time : new Instant[] {openedAt, firstAgentReplyAt, firstResolvedAt, lastResolvedAt,
                lastReopenedAt, statusAt, fullResolutionReportedFor}) {
            writeInstant(out, time);
        }
        out.writeInt(reopenCount);
        out.writeInt(agentReplyCount);
        writeString(out, openedEventId);
        writeString(out, channel == null ? null : channel.name());
        writeString(out, priority == null ? null : priority.name());
        writeString(out, queue);
        writeString(out, status == null ? null : status.name());
        out.writeBoolean(firstResponseReported);
        out.writeBoolean(firstResolutionReported);
        out.writeInt(waiting.size());
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        for (TicketEvent event : waiting) {
            EVENT_WRITER.write(event, encoder);
        }
        encoder.flush();
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
        ticket.fullResolutionReportedFor = readInstant(in);
        ticket.reopenCount = in.readInt();
        ticket.agentReplyCount = in.readInt();
        ticket.openedEventId = readString(in);
        String channel = readString(in);
        ticket.channel = channel == null ? null : Channel.valueOf(channel);
        String priority = readString(in);
        ticket.priority = priority == null ? null : TicketPriority.valueOf(priority);
        ticket.queue = readString(in);
        String status = readString(in);
        ticket.status = status == null ? null : TicketEventType.valueOf(status);
        ticket.firstResponseReported = in.readBoolean();
        ticket.firstResolutionReported = in.readBoolean();
        int waiting = in.readInt();
        BinaryDecoder decoder = DecoderFactory.get().directBinaryDecoder(in, null);
        for (int i = 0; i < waiting; i++) {
            ticket.waiting.add(EVENT_READER.read(null, decoder));
        }
        return ticket;
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
        return a == null || b.isBefore(a) ? b : a;
    }

    private static Instant max(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }
}
