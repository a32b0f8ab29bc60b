package io.cxpulse.streams.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.cxpulse.avro.SurveyMetric;
import io.cxpulse.streams.alert.ShareAlertRule.Evaluation;
import io.cxpulse.streams.alert.ShareAlertRule.Finding;
import io.cxpulse.streams.alert.ShareAlertRule.Severity;
import io.cxpulse.streams.survey.ScoreHistogram;
import io.cxpulse.streams.window.Dimension;
import io.cxpulse.streams.window.RollingWindow;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.junit.jupiter.api.Test;

/** The gauges Prometheus alerts on: the detractor alerts' evidence and state, and stream time, as scraped. */
class AlertAndStreamTimeGaugesTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SurveyMetrics metrics = new SurveyMetrics(registry, 1);

    private static Evaluation evaluation(double warning, double page) {
        return new Evaluation(1_000, 0.1, true, new Finding(warning, 30, 60, 20), new Finding(page, 30, 60, 20));
    }

    @Test
    void shouldExportEachEvaluatedKeysEvidenceAndStateForAllAndTheSegmentsWithTheirOwnLabel() {
        // two segments with a 7-day window each; the cap of 1 keeps the bigger one's label
        metrics.figures("0_1", Dimension.parse(Dimension.segment("smb").key(SurveyMetric.NPS)), RollingWindow.DAYS_7,
                0, histogram(500));
        metrics.figures("0_1", Dimension.parse(Dimension.segment("tiny").key(SurveyMetric.NPS)),
                RollingWindow.DAYS_7, 0, histogram(20));
        metrics.alert("0_1", Dimension.parse(Dimension.ALL.key(SurveyMetric.NPS)), evaluation(12.5, 3),
                Map.of(Severity.WARNING, true, Severity.CRITICAL, false));
        metrics.alert("0_1", Dimension.parse(Dimension.segment("smb").key(SurveyMetric.NPS)), evaluation(4, 1),
                Map.of(Severity.WARNING, false, Severity.CRITICAL, false));
        metrics.alert("0_1", Dimension.parse(Dimension.segment("tiny").key(SurveyMetric.NPS)), evaluation(20, 20),
                Map.of(Severity.WARNING, true, Severity.CRITICAL, true));

        metrics.refreshGauges();
        String scrape = registry.scrape();

        assertThat(scrape).contains("cx_detractor_alert_evidence{segment=\"all\",severity=\"warning\"} 12.5",
                "cx_detractor_alert_evidence{segment=\"all\",severity=\"critical\"} 3.0",
                "cx_detractor_alert_open{segment=\"all\",severity=\"warning\"} 1.0",
                "cx_detractor_alert_open{segment=\"all\",severity=\"critical\"} 0.0",
                "cx_detractor_alert_evidence{segment=\"smb\",severity=\"warning\"} 4.0",
                "cx_detractor_alert_open{segment=\"smb\",severity=\"warning\"} 0.0");
        assertThat(scrape).as("a segment without its own label has no alert gauges").doesNotContain("tiny")
                .doesNotContain("cx_detractor_alert_open{segment=\"other\"");

        metrics.closed("0_1");
        metrics.refreshGauges();
        assertThat(registry.scrape()).doesNotContain("cx_detractor_alert_open{");
    }

    @Test
    void shouldExportTheLatestStreamTimeOfTheTasksHereAsUnixSeconds() {
        assertThat(registry.scrape()).contains("cx_stream_time_seconds{type=\"survey_response\"} NaN");

        metrics.streamTime("0_1", 1_764_000_000_000L);
        metrics.streamTime("0_2", 1_764_000_060_500L);

        assertThat(registry.scrape()).contains("cx_stream_time_seconds{type=\"survey_response\"} 1.7640000605E9");
        metrics.closed("0_1");
        metrics.closed("0_2");
        assertThat(registry.scrape()).contains("cx_stream_time_seconds{type=\"survey_response\"} NaN");
    }

    private static ScoreHistogram histogram(long responses) {
        ScoreHistogram histogram = ScoreHistogram.empty(SurveyMetric.NPS);
        for (long i = 0; i < responses; i++) {
            histogram.add(9);
        }
        return histogram;
    }
}
