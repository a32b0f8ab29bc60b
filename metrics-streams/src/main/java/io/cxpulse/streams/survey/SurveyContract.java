package io.cxpulse.streams.survey;

import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.streams.survey.ScoreHistogram.Scale;

/**
 * The rules of the event contract that a decodable survey response can still break, when its producer bypassed
 * ingest: what ingest would have refused.
 */
final class SurveyContract {
    private SurveyContract() {
    }

    /** Why {@code response} breaks the contract, or null when it holds. */
    static String violation(SurveyResponse response) {
        if (response.getEventId() == null || response.getEventId().isBlank()) {
            return "eventId is missing";
        }
        if (response.getOccurredAt() == null || response.getOccurredAt().toEpochMilli() < 0) {
            return "occurredAt is missing or before 1970";
        }
        if (response.getCustomerId() == null || response.getCustomerId().isBlank()) {
            return "customerId is missing";
        }
        if (response.getMetric() == null || !Scale.known(response.getMetric())) {
            return "metric " + response.getMetric() + " is not NPS, CSAT or CES";
        }
        Scale scale = Scale.of(response.getMetric());
        if (!scale.contains(response.getScore())) {
            return "score " + response.getScore() + " is outside " + scale.min() + "-" + scale.max() + " for "
                    + response.getMetric();
        }
        return null;
    }
}
