package io.cxpulse.streams.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cxpulse.streams.alert.ShareAlertRule.Evaluation;

import org.junit.jupiter.api.Test;

class ShareAlertRuleTest {
    private final ShareAlertRule rule = new ShareAlertRule(3.0, 1.0, 30);

    @Test
    void shouldBreachWhenTheHourIsMoreThanThreeStandardErrorsAbove() {
        // p0 = 0.2, n = 100: se = 0.04, so 0.33 is 3.25 se above and 0.32 is exactly 3.0
        Evaluation above = rule.evaluate(100, 33, 1_000, 200);
        Evaluation at = rule.evaluate(100, 32, 1_000, 200);

        assertThat(above.z()).isCloseTo(3.25, within(1e-9));
        assertThat(above.breach()).isTrue();
        assertThat(at.z()).isCloseTo(3.0, within(1e-9));
        assertThat(at.breach()).as("exceeds, not equals").isFalse();
    }

    @Test
    void shouldNotBreachOnFewerThanThirtyResponses() {
        Evaluation thin = rule.evaluate(29, 29, 1_000, 100);

        assertThat(thin.z()).isGreaterThan(3);
        assertThat(thin.breach()).isFalse();
    }

    @Test
    void shouldRecoverAtOneStandardErrorOrBelow() {
        assertThat(rule.evaluate(100, 24, 1_000, 200).recovered()).isTrue();
        assertThat(rule.evaluate(100, 25, 1_000, 200).recovered()).isFalse();
        // an hour without responses says nothing: an open alert stays open
        assertThat(rule.evaluate(0, 0, 1_000, 200).recovered()).isFalse();
        assertThat(rule.evaluate(0, 0, 1_000, 200).breach()).isFalse();
    }

    @Test
    void shouldCompareWithHalfAResponseWhenTheBaselineHasNoDetractors() {
        // p0 = 0 of 100: the error uses p0 = 0.005, se = sqrt(0.005 * 0.995 / 50) = 0.009975
        Evaluation evaluation = rule.evaluate(50, 5, 100, 0);

        assertThat(evaluation.baseline()).isZero();
        assertThat(evaluation.z()).isCloseTo(0.1 / Math.sqrt(0.005 * 0.995 / 50), within(1e-9));
        assertThat(evaluation.breach()).isTrue();
    }

    @Test
    void shouldNeverBreachWithoutABaseline() {
        Evaluation evaluation = rule.evaluate(100, 90, 0, 0);

        assertThat(evaluation.z()).isNull();
        assertThat(evaluation.breach()).isFalse();
    }
}
