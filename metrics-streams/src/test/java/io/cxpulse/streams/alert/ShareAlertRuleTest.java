package io.cxpulse.streams.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Map;

import io.cxpulse.common.LayeredConfig;
import io.cxpulse.streams.alert.ShareAlertRule.Evaluation;
import io.cxpulse.streams.alert.ShareAlertRule.Finding;
import io.cxpulse.streams.alert.ShareAlertRule.Level;
import io.cxpulse.streams.alert.ShareAlertRule.Severity;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The expected figures were computed apart from this code, in Python, from the formulas in docs/design.md. */
class ShareAlertRuleTest {
    private final ShareAlertRule rule = new ShareAlertRule(new Level(0.10, 10), new Level(0.20, 14), 200,
            Duration.ofHours(6));

    @Test
    void shouldTakeTheUpperEndOfTheBaselinesWilsonIntervalAsItsShare() {
        assertThat(ShareAlertRule.upperBound(1_000, 10_000)).isCloseTo(0.10504327205116114, within(1e-12));
        assertThat(ShareAlertRule.upperBound(5, 100)).isCloseTo(0.09916108527905278, within(1e-12));
        assertThat(ShareAlertRule.upperBound(0, 200)).as("a 0 % baseline is not taken as exactly 0")
                .isCloseTo(0.013347160654775625, within(1e-12));
        assertThat(ShareAlertRule.upperBound(200, 200)).isCloseTo(1, within(1e-12));
    }

    @Test
    void shouldAddUpTheEvidenceOfTheBestRunOfMinutesThatEndsNow() {
        // p0 = 0.1, p1 = 0.2: a detractor adds ln 2, another response ln(0.8 / 0.9). The last minute gives 2.07,
        // the last two 4.94, all three 3.76 (the oldest minute, without detractors, takes evidence away)
        Finding finding = ShareAlertRule.cusum(0.1, 0.1, new long[] {10, 10, 10}, new long[] {0, 5, 4});

        assertThat(finding.evidence()).isCloseTo(4.94271123281929, within(1e-12));
        assertThat(finding.minutes()).isEqualTo(2);
        assertThat(finding.responses()).isEqualTo(20);
        assertThat(finding.hits()).isEqualTo(9);
        assertThat(finding.observed()).isEqualTo(0.45);
    }

    @Test
    void shouldFindNoEvidenceWhenNoRunIsAboveTheBaseline() {
        Finding finding = ShareAlertRule.cusum(0.1, 0.1, new long[] {10, 0, 10}, new long[] {1, 0, 0});

        assertThat(finding.evidence()).isZero();
        assertThat(finding.minutes()).isZero();
    }

    @Test
    void shouldWeighAFewDetractorsAgainstABaselineWithoutAnyOnTheirEvidence() {
        // 10,080 baseline responses, no detractor; the last minute holds 38 responses. The old z-score made 2
        // detractors 34.7 standard errors; here 2 are not enough for a warning, 3 are, and not for a page
        Evaluation two = rule.evaluate(10_080, 0, minutes(38, 2), minutes(38, 2, true));
        Evaluation three = rule.evaluate(10_080, 0, minutes(38, 3), minutes(38, 3, true));

        assertThat(two.warning().evidence()).isCloseTo(8.052685346434862, within(1e-9));
        assertThat(rule.open(Severity.WARNING, false, two)).isFalse();
        assertThat(three.warning().evidence()).isCloseTo(14.081444462787829, within(1e-9));
        assertThat(rule.open(Severity.WARNING, false, three)).isTrue();
        assertThat(three.page().evidence()).isCloseTo(12.033157994140712, within(1e-9));
        assertThat(rule.open(Severity.CRITICAL, false, three)).isFalse();
    }

    /** The count array of a memory whose last minute holds {@code n} (or {@code hits} when {@code hitsOnly}). */
    private static long[] minutes(long n, long hits, boolean hitsOnly) {
        long[] counts = new long[360];
        counts[359] = hitsOnly ? hits : n;
        return counts;
    }

    private static long[] minutes(long n, long hits) {
        return minutes(n, hits, false);
    }

    @Test
    void shouldCompareNothingWithABaselineBelowItsMinimum() {
        Evaluation thin = rule.evaluate(199, 0, minutes(100, 100), minutes(100, 100, true));

        assertThat(thin.compared()).isFalse();
        assertThat(thin.warning().evidence()).isZero();
        assertThat(rule.open(Severity.WARNING, true, thin)).as("an open alert resolves").isFalse();
    }

    @Test
    void shouldFindNoRiseAboveABaselineThatLeavesNoRoomForIt() {
        // p0 is about 0.885, so p0 + 0.2 is past 1: no such rise exists; a rise of 0.1 still can
        Evaluation evaluation = rule.evaluate(10_000, 8_800, minutes(100, 100), minutes(100, 100, true));

        assertThat(evaluation.page().evidence()).isZero();
        assertThat(evaluation.warning().evidence()).isPositive();
    }

    @Test
    void shouldOpenAboveTheThresholdAndResolveOnlyAtHalfOfIt() {
        Evaluation at = new Evaluation(1_000, 0.1, true, new Finding(10, 5, 50, 12), Finding.NONE);
        Evaluation above = new Evaluation(1_000, 0.1, true, new Finding(10.01, 5, 50, 12), Finding.NONE);
        Evaluation half = new Evaluation(1_000, 0.1, true, new Finding(5, 5, 50, 9), Finding.NONE);
        Evaluation overHalf = new Evaluation(1_000, 0.1, true, new Finding(5.01, 5, 50, 9), Finding.NONE);

        assertThat(rule.open(Severity.WARNING, false, at)).as("exceeds, not equals").isFalse();
        assertThat(rule.open(Severity.WARNING, false, above)).isTrue();
        assertThat(rule.open(Severity.WARNING, true, overHalf)).as("stays open").isTrue();
        assertThat(rule.open(Severity.WARNING, true, half)).as("resolves").isFalse();
    }

    @Test
    void shouldNameTheKeyOfABadSetting() {
        ShareAlertRule.Keys keys = ShareAlertRule.keys("survey.alerts", "detractor share", "responses", 200);

        assertThat(keys.read(LayeredConfig.over(keys.all(), Map.of())).warning()).isEqualTo(new Level(0.10, 10));
        assertThatThrownBy(() -> keys.read(LayeredConfig.over(keys.all(),
                Map.of("survey.alerts.page.rise", "1.5"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("survey.alerts.page.rise");
        assertThatThrownBy(() -> keys.read(LayeredConfig.over(keys.all(),
                Map.of("survey.alerts.warning.evidence", "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("survey.alerts.warning.evidence");
    }
}
