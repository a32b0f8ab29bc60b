package io.cxpulse.streams.ticket;

import io.cxpulse.streams.state.DataSerde;

/** The state-store form of a {@link TicketLifecycle} (see {@link TicketLifecycle#writeTo}). */
public final class TicketLifecycleSerde extends DataSerde<TicketLifecycle> {
    public TicketLifecycleSerde() {
        super("a ticket state", (ticket, out) -> ticket.writeTo(out), TicketLifecycle::readFrom);
    }
}
