package io.cxpulse.streams.survey;

import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.schemas.contract.LabelValues;
import io.cxpulse.schemas.contract.ScoreScale;
import io.cxpulse.streams.intake.EventContract;

/**
 * The rules of the event contract that a decodable survey response can still break, when its producer bypassed
 * ingest: what ingest would have refused.
 */
final class SurveyContract {
    private SurveyContract() {
    }

    /** Why {@code response} breaks the contract, or null when it holds. */
    static String violation(SurveyResponse response) {
        String common = EventContract.commonViolation(response.getEventId(), response.getOccurredAt(),
                response.getCustomerId());
        if (common != null) {
            return common;
        }
        if (response.getMetric() == null || !ScoreScale.known(response.getMetric())) {
            return "metric " + response.getMetric() + " is not NPS, CSAT or CES";
        }
        ScoreScale scale = ScoreScale.of(response.getMetric());
        if (!scale.contains(response.getScore())) {
            return "score " + response.getScore() + " is outside " + scale.min() + "-" + scale.max() + " for "
                    + response.getMetric();
        }
        String segment = LabelValues.violation("segment", response.getSegment());
        return segment != null ? segment : LabelValues.violation("touchpoint", response.getTouchpoint());
    }
}
