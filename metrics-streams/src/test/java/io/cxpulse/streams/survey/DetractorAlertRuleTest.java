package io.cxpulse.streams.survey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cxpulse.avro.SurveyMetric;
import io.cxpulse.streams.survey.DetractorAlertRule.Evaluation;

import org.junit.jupiter.api.Test;

class DetractorAlertRuleTest {
    private final DetractorAlertRule rule = new DetractorAlertRule(3.0, 1.0, 30);

    /** {@code n} NPS responses of which {@code detractors} score 0 and the rest 10. */
    private static ScoreHistogram responses(long n, long detractors) {
        return ScoreHistogram.of(SurveyMetric.NPS, detractors, 0, 0, 0, 0, 0, 0, 0, 0, 0, n - detractors);
    }

    @Test
    void shouldBreachWhenTheHourIsMoreThanThreeStandardErrorsAbove() {
        // p0 = 0.2, n = 100: se = 0.04, so 0.33 is 3.25 se above and 0.32 is exactly 3.0
        Evaluation above = rule.evaluate(responses(100, 33), responses(1_000, 200));
        Evaluation at = rule.evaluate(responses(100, 32), responses(1_000, 200));

        assertThat(above.z()).isCloseTo(3.25, within(1e-9));
        assertThat(above.breach()).isTrue();
        assertThat(at.z()).isCloseTo(3.0, within(1e-9));
        assertThat(at.breach()).as("exceeds, not equals").isFalse();
    }

    @Test
    void shouldNotBreachOnFewerThanThirtyResponses() {
        Evaluation thin = rule.evaluate(responses(29, 29), responses(1_000, 100));

        assertThat(thin.z()).isGreaterThan(3);
        assertThat(thin.breach()).isFalse();
    }

    @Test
    void shouldRecoverAtOneStandardErrorOrBelow() {
        assertThat(rule.evaluate(responses(100, 24), responses(1_000, 200)).recovered()).isTrue();
        assertThat(rule.evaluate(responses(100, 25), responses(1_000, 200)).recovered()).isFalse();
    }

    @Test
    void shouldCompareWithHalfAResponseWhenTheBaselineHasNoDetractors() {
        // p0 = 0 of 100: the error uses p0 = 0.005, se = sqrt(0.005 * 0.995 / 50) = 0.009975
        Evaluation evaluation = rule.evaluate(responses(50, 5), responses(100, 0));

        assertThat(evaluation.baseline()).isZero();
        assertThat(evaluation.z()).isCloseTo(0.1 / Math.sqrt(0.005 * 0.995 / 50), within(1e-9));
        assertThat(evaluation.breach()).isTrue();
    }

    @Test
    void shouldNeverBreachWithoutABaseline() {
        Evaluation evaluation = rule.evaluate(responses(100, 90), responses(0, 0));

        assertThat(evaluation.z()).isNull();
        assertThat(evaluation.breach()).isFalse();
    }
}
