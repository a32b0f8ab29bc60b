package io.cxpulse.streams.survey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.cxpulse.avro.SurveyMetric;

import org.junit.jupiter.api.Test;

class SurveyFiguresTest {

    @Test
    void shouldGiveNothingButZeroCountsForAnEmptyHistogram() {
        SurveyFigures figures = ScoreHistogram.empty(SurveyMetric.NPS).figures();

        assertThat(figures.responses()).isZero();
        assertThat(figures.nps()).isNull();
        assertThat(figures.marginOfError()).isNull();
        assertThat(figures.thinSample()).isTrue();
        assertThat(figures.detractorRatio()).isNull();
    }

    @Test
    void shouldComputeTheMarginOfErrorOfAHundredResponses() {
        // 50 promoters, 30 passives, 20 detractors: p = 0.5, d = 0.2; 1.96 * 100 * sqrt(0.61 / 100) = 15.30809
        SurveyFigures figures = ScoreHistogram.of(SurveyMetric.NPS, 0, 0, 0, 0, 0, 0, 20, 30, 0, 50, 0).figures();

        assertThat(figures.nps()).isEqualTo(30.0);
        assertThat(figures.marginOfError()).isCloseTo(15.30809, within(1e-5));
        assertThat(figures.thinSample()).isFalse();
        assertThat(figures.detractorRatio()).isEqualTo(0.2);
    }

    @Test
    void shouldFlagTwentyNineResponsesAsThinAndThirtyAsNot() {
        assertThat(ScoreHistogram.of(SurveyMetric.CSAT, 0, 0, 0, 0, 29).figures().thinSample()).isTrue();
        assertThat(ScoreHistogram.of(SurveyMetric.CSAT, 0, 0, 0, 0, 30).figures().thinSample()).isFalse();
    }

    @Test
    void shouldRefuseScoresOffTheScale() {
        assertThatThrownBy(() -> ScoreHistogram.empty(SurveyMetric.NPS).add(11))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0-10");
        assertThatThrownBy(() -> ScoreHistogram.empty(SurveyMetric.CES).add(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1-7");
        assertThatThrownBy(() -> ScoreHistogram.empty(SurveyMetric.NPS).addAll(ScoreHistogram.empty(SurveyMetric.CES)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
