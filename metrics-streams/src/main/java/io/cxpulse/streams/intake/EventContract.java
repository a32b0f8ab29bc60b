package io.cxpulse.streams.intake;

import java.time.Instant;

import io.cxpulse.common.Uuids;

/** The rules of the event contract that every event type shares. */
public final class EventContract {
    private EventContract() {
    }

    /** Why the fields every event has break the contract, or null when they hold. */
    public static String commonViolation(String eventId, Instant occurredAt, String customerId) {
        if (eventId == null || eventId.isBlank()) {
            return "eventId is missing";
        }
        if (!Uuids.isUuid(eventId)) {
            // not echoed whole: it may be of any length
            return "eventId must be a UUID such as 3f2b8c1e-6a4d-4e0f-9b7a-2c5d8e1f0a3b, not one of "
                    + eventId.length() + " characters starting " + eventId.substring(0, Math.min(40,
                    eventId.length()));
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
