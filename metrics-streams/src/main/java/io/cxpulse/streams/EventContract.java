package io.cxpulse.streams;

import java.time.Instant;

/** The rules of the event contract that every event type shares. */
public final class EventContract {
    private EventContract() {
    }

    /** Why the fields every event has break the contract, or null when they hold. */
    public static String commonViolation(String eventId, Instant occurredAt, String customerId) {
        if (eventId == null || eventId.isBlank()) {
            return "eventId is missing";
        }
        if (occurredAt == null || occurredAt.toEpochMilli() < 0) {
            return "occurredAt is missing or before 1970";
        }
        if (customerId == null || customerId.isBlank()) {
            return "customerId is missing";
        }
        return null;
    }
}
