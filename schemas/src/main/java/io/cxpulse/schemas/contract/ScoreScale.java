package io.cxpulse.schemas.contract;

import io.cxpulse.avro.SurveyMetric;

/**
 * A survey metric's scale of scores, from the event contract: NPS 0-10, CSAT 1-5, CES 1-7 (7 = easiest). The one
 * declaration that ingest's validation and metrics-streams' contract and histograms use.
 *
 * @param min the lowest score
 * @param max the highest score
 */
public record ScoreScale(int min, int max) {
    private static final ScoreScale NPS = new ScoreScale(0, 10);
    private static final ScoreScale CSAT = new ScoreScale(1, 5);
    private static final ScoreScale CES = new ScoreScale(1, 7);

    /**
     * The scale of {@code metric}.
     *
     * @throws IllegalArgumentException for a metric with no scale (UNKNOWN, the default of newer symbols)
     */
    public static ScoreScale of(SurveyMetric metric) {
        return switch (metric) {
            case NPS -> NPS;
            case CSAT -> CSAT;
            case CES -> CES;
            default -> throw new IllegalArgumentException("no scale for metric " + metric);
        };
    }

    /** Whether {@code metric} has a scale: every symbol but UNKNOWN. */
    public static boolean known(SurveyMetric metric) {
        return metric == SurveyMetric.NPS || metric == SurveyMetric.CSAT || metric == SurveyMetric.CES;
    }

    /** How many scores the scale has. */
    public int size() {
        return max - min + 1;
    }

    public boolean contains(int score) {
        return score >= min && score <= max;
    }

    /** The position of {@code score} on the scale, from 0. */
    public int index(int score) {
        if (!contains(score)) {
            throw new IllegalArgumentException("score " + score + " is outside " + min + "-" + max);
        }
        return score - min;
    }
}
