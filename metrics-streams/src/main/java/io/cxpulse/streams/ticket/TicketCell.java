package io.cxpulse.streams.ticket;

import io.cxpulse.avro.Channel;
import io.cxpulse.avro.TicketPriority;
import io.cxpulse.streams.window.Dimension;

/**
 * The attributes ticket durations are kept by: channel, priority and queue (channel and queue may be absent). Its
 * key, {@code CHANNEL|PRIORITY|=queue} with absent values left empty and the queue escaped as in {@link Dimension},
 * is the key of the duration buckets and of the repartition between the ticket state and the windows.
 */
public record TicketCell(Channel channel, TicketPriority priority, String queue) {

    /** The cell of a duration's facets. */
    static TicketCell of(TicketLifecycle.Facets facets) {
        return new TicketCell(facets.channel(), facets.priority(), facets.queue());
    }

    public String key() {
        return (channel == null ? "" : channel.name()) + "|" + (priority == null ? "" : priority.name()) + "|"
                + (queue == null ? "" : "=" + Dimension.escape(queue));
    }

    /** The cell of {@code key}, or null when it is not one. */
    public static TicketCell parse(String key) {
        if (key == null) {
            return null;
        }
        String[] parts = key.split("\\|", -1);
        if (parts.length != 3 || !(parts[2].isEmpty() || parts[2].startsWith("="))) {
            return null;
        }
        try {
            return new TicketCell(parts[0].isEmpty() ? null : Channel.valueOf(parts[0]),
                    parts[1].isEmpty() ? null : TicketPriority.valueOf(parts[1]),
                    parts[2].isEmpty() ? null : Dimension.unescape(parts[2].substring(1)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether this cell is in the slice given by the values that are not null. */
    public boolean matches(Channel channel, TicketPriority priority, String queue) {
        return (channel == null || channel == this.channel) && (priority == null || priority == this.priority)
                && (queue == null || queue.equals(this.queue));
    }
}
