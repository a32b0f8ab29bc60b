package io.cxpulse.streams.ticket;

import io.cxpulse.avro.TicketEvent;
import io.cxpulse.avro.TicketEventType;
import io.cxpulse.avro.TicketPriority;
import io.cxpulse.schemas.contract.LabelValues;
import io.cxpulse.streams.intake.EventContract;

/**
 * The rules of the event contract that a decodable ticket event can still break, when its producer bypassed
 * ingest: what ingest would have refused.
 */
public final class TicketContract {
    private TicketContract() {
    }

    /**
     * Why {@code event}, read under record key {@code key}, breaks the contract, or null when it holds. The topic is
     * keyed by ticketId so that a ticket's events meet in one partition; an event under another key could be
     * applied to a ticket state that never sees the rest of its events.
     */
    public static String violation(String key, TicketEvent event) {
        String violation = violation(event);
        if (violation == null && !event.getTicketId().equals(key)) {
            return "the record key " + (key == null ? "is missing" : "'" + key + "' is not")
                    + " the ticketId '" + event.getTicketId() + "': ticket events are keyed by ticketId";
        }
        return violation;
    }

    /** Why {@code event} breaks the contract, or null when it holds. */
    public static String violation(TicketEvent event) {
        String common = EventContract.commonViolation(event.getEventId(), event.getOccurredAt(),
                event.getCustomerId());
        if (common != null) {
            return common;
        }
        if (event.getTicketId() == null || event.getTicketId().isBlank()) {
            return "ticketId is missing";
        }
        if (event.getType() == null || event.getType() == TicketEventType.UNKNOWN) {
            return "type " + event.getType() + " is not a ticket event type this version knows";
        }
        if (event.getPriority() == null || event.getPriority() == TicketPriority.UNKNOWN) {
            return "priority " + event.getPriority() + " is not LOW, NORMAL, HIGH or URGENT";
        }
        String segment = LabelValues.violation("segment", event.getSegment());
        return segment != null ? segment : LabelValues.violation("queue", event.getQueue());
    }
}
