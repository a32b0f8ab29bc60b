package io.cxpulse.streams.friction;

import io.cxpulse.avro.FrictionSignal;
import io.cxpulse.avro.Outcome;
import io.cxpulse.avro.TouchpointEvent;
import io.cxpulse.schemas.contract.LabelValues;
import io.cxpulse.streams.intake.EventContract;

/**
 * The rules of the event contract that a decodable touchpoint event can still break when its producer bypassed
 * ingest, and the key: the topic is keyed by customerId, so that a customer's touchpoints meet their surveys and
 * tickets in one task.
 */
public final class FrictionContract {
    private static final int MAX_TOUCHPOINT = 200;

    private FrictionContract() {
    }

    /** Why {@code event}, read under record key {@code key}, breaks the contract, or null when it holds. */
    public static String violation(String key, TouchpointEvent event) {
        String common = EventContract.commonViolation(event.getEventId(), event.getOccurredAt(),
                event.getCustomerId());
        if (common != null) {
            return common;
        }
        if (event.getTouchpoint() == null || event.getTouchpoint().isBlank()) {
            return "touchpoint is missing";
        }
        if (event.getTouchpoint().length() > MAX_TOUCHPOINT) {
            return "touchpoint is longer than " + MAX_TOUCHPOINT + " characters";
        }
        if (event.getOutcome() == null || event.getOutcome() == Outcome.UNKNOWN) {
            return "outcome " + event.getOutcome() + " is not COMPLETED, FAILED or ABANDONED";
        }
        if (event.getFrictionSignals() == null || event.getFrictionSignals().contains(FrictionSignal.UNKNOWN)) {
            return "frictionSignals holds a signal this version does not know";
        }
        if (event.getDurationMs() != null && event.getDurationMs() < 0) {
            return "durationMs is negative";
        }
        String touchpoint = LabelValues.violation("touchpoint", event.getTouchpoint());
        String segment = LabelValues.violation("segment", event.getSegment());
        if (touchpoint != null || segment != null) {
            return touchpoint != null ? touchpoint : segment;
        }
        if (!event.getCustomerId().equals(key)) {
            return "the record key " + (key == null ? "is missing" : "'" + key + "' is not")
                    + " the customerId '" + event.getCustomerId() + "': touchpoints are keyed by customerId";
        }
        return null;
    }
}
