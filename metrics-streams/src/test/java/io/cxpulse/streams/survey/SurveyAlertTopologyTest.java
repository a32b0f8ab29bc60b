package io.cxpulse.streams.survey;

import static io.cxpulse.streams.survey.SurveyDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.cxpulse.avro.AlertKind;
import io.cxpulse.avro.AlertState;
import io.cxpulse.avro.CxAlert;
import io.cxpulse.avro.SurveyMetric;
import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.platform.junit.LocalPlatformExtension;
import io.cxpulse.streams.alert.ExpectedEvidence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalPlatformExtension.class)
class SurveyAlertTopologyTest {
    /** The hour after seven days of baseline. */
    private static final Instant HOUR = T0.plus(Duration.ofDays(7));

    /**
     * Seven days before {@link #HOUR}, ten responses in the first half of each hour, one of them a detractor: a
     * baseline of 10 %, none of it within half an hour of {@link #HOUR}.
     */
    private static void sendBaseline(SurveyDriver survey, String segment) {
        for (int hour = 0; hour < 7 * 24; hour++) {
            Instant start = T0.plus(Duration.ofHours(hour));
            for (int i = 0; i < 10; i++) {
                survey.send(response(i == 0 ? 3 : 9, start.plus(Duration.ofMinutes(3L * i)), segment));
            }
        }
    }

    /**
     * {@code n} responses from {@code start}, {@code spacing} apart, the first {@code detractors} of them
     * detractors, received together a minute after the last (a batch, so that the alert sees them all).
     */
    private static void sendRun(SurveyDriver survey, Instant start, Duration spacing, int n, int detractors,
            String segment) {
        Instant received = start.plus(spacing.multipliedBy(n - 1)).plusSeconds(60);
        for (int i = 0; i < n; i++) {
            survey.send(SurveyDriver.response(SurveyMetric.NPS, i < detractors ? 2 : 10,
                    start.plus(spacing.multipliedBy(i))).setSegment(segment).setReceivedAt(received).build());
        }
    }

    private static SurveyResponse response(int score, Instant at, String segment) {
        return SurveyDriver.response(SurveyMetric.NPS, score, at).setSegment(segment).build();
    }

    @Test
    void shouldOpenAWarningAndAPageOnceEachOnARiseThenResolveWhenTheEvidenceIsGone(LocalPlatform platform) {
        try (SurveyDriver survey = new SurveyDriver(platform, SurveySettings.defaults(), SurveyObserver.NONE)) {
            sendBaseline(survey, null);
            assertThat(survey.alerts()).isEmpty();

            // 60 responses in [HOUR, HOUR + 54m05s], 30 of them detractors, received at HOUR + 55m05s. The baseline
            // of the evaluation at HOUR + 56m is the 7 days before HOUR - 6h (its memory's start): 162 hours,
            // 1,620 responses, 162 detractors. Its best run is the 56 minutes since HOUR: warning evidence 15.5,
            // page evidence 23, both above their thresholds (10 and 14)
            sendRun(survey, HOUR, Duration.ofSeconds(55), 60, 30, null);
            List<CxAlert> opened = survey.alerts();
            survey.tick();
            survey.tick();

            assertThat(opened).extracting(CxAlert::getSeverity).containsExactlyInAnyOrder("warning", "critical");
            for (CxAlert alert : opened) {
                double rise = alert.getSeverity().equals("warning") ? 0.10 : 0.20;
                assertThat(alert.getState()).isEqualTo(AlertState.OPENED);
                assertThat(alert.getKind()).isEqualTo(AlertKind.DETRACTOR_RATE);
                assertThat(alert.getDimension()).isEmpty();
                assertThat(alert.getObserved()).isEqualTo(0.5);
                assertThat(alert.getBaseline()).isCloseTo(0.1, within(1e-12));
                assertThat(alert.getEvidence()).isCloseTo(ExpectedEvidence.of(162, 1_620, rise, 30, 30),
                        within(1e-9));
                assertThat(alert.getSampleSize()).isEqualTo(60);
                assertThat(alert.getWindow()).isEqualTo("56m");
                assertThat(alert.getWindowStart()).isEqualTo(HOUR);
                assertThat(alert.getWindowEnd()).isEqualTo(HOUR.plus(Duration.ofMinutes(56)));
            }
            assertThat(opened.get(0).getAlertId()).isNotEqualTo(opened.get(1).getAlertId());
            assertThat(survey.alerts()).as("opened once").isEmpty();

            // then 200 promoters over 100 minutes: every run that ends now has lost its evidence
            sendRun(survey, HOUR.plus(Duration.ofHours(1)), Duration.ofSeconds(30), 200, 0, null);
            List<CxAlert> resolved = survey.alerts();

            assertThat(resolved).extracting(CxAlert::getState).containsOnly(AlertState.RESOLVED);
            assertThat(resolved).extracting(CxAlert::getAlertId)
                    .containsExactlyInAnyOrderElementsOf(opened.stream().map(CxAlert::getAlertId).toList());
            assertThat(resolved).extracting(CxAlert::getEvidence).containsOnly(0.0);
        }
    }

    @Test
    void shouldTakeItsBaselineFromAnImportAndNeverAlertOnAPastHour(LocalPlatform platform) {
        try (SurveyDriver survey = new SurveyDriver(platform, SurveySettings.defaults(), SurveyObserver.NONE)) {
            // a new deployment: the seven days of history arrive in one import, received just before HOUR, with
            // in it an hour eight hours back as bad as the one below: before the 6-hour memory, so no alert
            Instant imported = HOUR.minusSeconds(30);
            for (int hour = 0; hour < 7 * 24; hour++) {
                Instant start = T0.plus(Duration.ofHours(hour));
                for (int i = 0; i < 10; i++) {
                    survey.send(SurveyDriver.response(SurveyMetric.NPS, i == 0 ? 3 : 9,
                            start.plus(Duration.ofMinutes(3L * i))).setReceivedAt(imported).build());
                }
            }
            Instant past = HOUR.minus(Duration.ofHours(8));
            for (int i = 0; i < 60; i++) {
                survey.send(SurveyDriver.response(SurveyMetric.NPS, i < 30 ? 2 : 10,
                        past.plus(Duration.ofSeconds(55L * i))).setReceivedAt(imported).build());
            }
            assertThat(survey.alerts()).isEmpty();

            // the first live run against that baseline: 162 hours of it and the bad hour, 192 detractors in 1,680
            sendRun(survey, HOUR, Duration.ofSeconds(55), 60, 30, null);
            List<CxAlert> opened = survey.alerts();

            assertThat(opened).extracting(CxAlert::getState).containsOnly(AlertState.OPENED).hasSize(2);
            assertThat(opened.get(0).getBaseline()).isCloseTo(192.0 / 1_680, within(1e-12));
            for (CxAlert alert : opened) {
                double rise = alert.getSeverity().equals("warning") ? 0.10 : 0.20;
                assertThat(alert.getEvidence()).isCloseTo(ExpectedEvidence.of(192, 1_680, rise, 30, 30),
                        within(1e-9));
            }
            assertThat(opened.get(0).getWindowEnd()).isEqualTo(HOUR.plus(Duration.ofMinutes(56)));
        }
    }

    @Test
    void shouldAlertPerSegmentAndNotAgainstTooThinABaseline(LocalPlatform platform) {
        try (SurveyDriver survey = new SurveyDriver(platform, SurveySettings.defaults(), SurveyObserver.NONE)) {
            sendBaseline(survey, "smb");
            // "tiny" has one response an hour: 162 in its baseline, fewer than the 200 it takes to compare with
            for (int hour = 0; hour < 7 * 24; hour++) {
                survey.send(response(9, T0.plus(Duration.ofHours(hour)).plusSeconds(30 * 60), "tiny"));
            }
            sendRun(survey, HOUR, Duration.ofSeconds(55), 60, 30, "smb");
            sendRun(survey, HOUR.plusSeconds(20), Duration.ofSeconds(55), 60, 30, "tiny");
            List<CxAlert> alerts = survey.alerts();

            assertThat(alerts).extracting(CxAlert::getState).containsOnly(AlertState.OPENED);
            assertThat(alerts).extracting(alert -> alert.getDimension().get("segment") + "/" + alert.getSeverity())
                    .containsExactlyInAnyOrder("null/warning", "null/critical", "smb/warning", "smb/critical");
        }
    }
}
