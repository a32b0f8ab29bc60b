package io.cxpulse.streams.survey;

import io.cxpulse.avro.SurveyMetric;

/**
 * The figures of one histogram, as docs/design.md defines them. Figures of another metric, and ratios of an empty
 * histogram, are null.
 *
 * @param responses     n
 * @param promoters     NPS: scores 9-10
 * @param passives      NPS: scores 7-8
 * @param detractors    NPS: scores 0-6
 * @param nps           NPS: 100 (P - D) / n, in [-100, 100]
 * @param marginOfError NPS: 1.96 * 100 * sqrt((p + d - (p - d)^2) / n), the 95 % margin in NPS points
 * @param thinSample    fewer than {@link #THIN_SAMPLE} responses
 * @param csatRatio     CSAT: share of 4-5
 * @param cesMean       CES: mean score
 * @param cesEasyRatio  CES: share of 5-7
 */
public record SurveyFigures(SurveyMetric metric, long responses, Long promoters, Long passives, Long detractors,
        Double nps, Double marginOfError, boolean thinSample, Double csatRatio, Double cesMean, Double cesEasyRatio) {
    /** Below this many responses a figure is a thin sample: shown, flagged, never alerted on. */
    public static final int THIN_SAMPLE = 30;
    private static final double Z_95 = 1.96;

    static SurveyFigures of(ScoreHistogram histogram) {
        long n = histogram.responses();
        boolean thin = n < THIN_SAMPLE;
        return switch (histogram.metric()) {
            case NPS -> {
                long promoters = histogram.between(9, 10);
                long passives = histogram.between(7, 8);
                long detractors = histogram.between(0, 6);
                Double nps = null;
                Double margin = null;
                if (n > 0) {
                    double p = (double) promoters / n;
                    double d = (double) detractors / n;
                    nps = 100.0 * (promoters - detractors) / n;
                    margin = Z_95 * 100.0 * Math.sqrt(Math.max(0.0, p + d - (p - d) * (p - d)) / n);
                }
                yield new SurveyFigures(SurveyMetric.NPS, n, promoters, passives, detractors, nps, margin, thin,
                        null, null, null);
            }
            case CSAT -> new SurveyFigures(SurveyMetric.CSAT, n, null, null, null, null, null, thin,
                    n == 0 ? null : (double) histogram.between(4, 5) / n, null, null);
            case CES -> {
                Double mean = null;
                if (n > 0) {
                    double sum = 0;
                    for (int score = 1; score <= 7; score++) {
                        sum += (double) score * histogram.count(score);
                    }
                    mean = sum / n;
                }
                yield new SurveyFigures(SurveyMetric.CES, n, null, null, null, null, null, thin, null, mean,
                        n == 0 ? null : (double) histogram.between(5, 7) / n);
            }
            default -> throw new IllegalArgumentException("no figures for metric " + histogram.metric());
        };
    }

    /** NPS: the detractors' share of responses, or null. */
    public Double detractorRatio() {
        return detractors == null || responses == 0 ? null : (double) detractors / responses;
    }
}
