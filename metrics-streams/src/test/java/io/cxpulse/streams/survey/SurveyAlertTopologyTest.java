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
    private static void sendHour(SurveyDriver survey, Instant start, Duration spacing, int n, int detractors,
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
    void shouldOpenOnceWhenTheHourIsThreeStandardErrorsAboveBaselineThenResolve(LocalPlatform platform) {
        try (SurveyDriver survey = new SurveyDriver(platform, SurveySettings.defaults(), SurveyObserver.NONE)) {
            sendBaseline(survey, null);
            assertThat(survey.alerts()).isEmpty();

            // 40 responses, 20 detractors: p = 0.5 against p0 = 0.1; se = sqrt(0.1 * 0.9 / 40) = 0.04743; z = 8.43
            sendHour(survey, HOUR, Duration.ofSeconds(85), 40, 20, null);
            List<CxAlert> opened = survey.alerts();
            survey.tick();
            survey.tick();

            assertThat(opened).hasSize(1);
            CxAlert alert = opened.get(0);
            assertThat(alert.getState()).isEqualTo(AlertState.OPENED);
            assertThat(alert.getKind()).isEqualTo(AlertKind.DETRACTOR_RATE);
            assertThat(alert.getDimension()).isEmpty();
            assertThat(alert.getObserved()).isEqualTo(0.5);
            assertThat(alert.getBaseline()).isCloseTo(0.1, within(1e-12));
            assertThat(alert.getZScore()).isCloseTo(0.4 / Math.sqrt(0.09 / 40), within(1e-9));
            assertThat(alert.getSampleSize()).isEqualTo(40);
            assertThat(survey.alerts()).as("opened once").isEmpty();

            // two hours later the last hour holds 40 responses with 4 detractors: z = 0, the share has fallen back
            sendHour(survey, HOUR.plus(Duration.ofHours(2)), Duration.ofSeconds(85), 40, 4, null);
            List<CxAlert> resolved = survey.alerts();

            assertThat(resolved).extracting(CxAlert::getState).containsExactly(AlertState.RESOLVED);
            assertThat(resolved.get(0).getAlertId()).isEqualTo(alert.getAlertId());
            assertThat(resolved.get(0).getObserved()).isCloseTo(0.1, within(1e-12));
        }
    }

    @Test
    void shouldTakeItsBaselineFromAnImportAndNeverAlertOnAPastHour(LocalPlatform platform) {
        try (SurveyDriver survey = new SurveyDriver(platform, SurveySettings.defaults(), SurveyObserver.NONE)) {
            // a new deployment: the seven days of history arrive in one import, received just before HOUR
            for (int hour = 0; hour < 7 * 24; hour++) {
                Instant start = T0.plus(Duration.ofHours(hour));
                for (int i = 0; i < 10; i++) {
                    survey.send(SurveyDriver.response(SurveyMetric.NPS, i == 0 ? 3 : 9,
                            start.plus(Duration.ofMinutes(3L * i))).setReceivedAt(HOUR.minusSeconds(30)).build());
                }
            }
            // in it, an hour three hours back as bad as the one below: past, so no alert
            sendHour(survey, HOUR.minus(Duration.ofHours(3)), Duration.ofSeconds(85), 40, 20, null);
            assertThat(survey.alerts()).isEmpty();

            // the first live hour against that baseline: p0 is (167 * 1 + 20) / (1,670 + 40), z far above 3
            sendHour(survey, HOUR, Duration.ofSeconds(85), 40, 20, null);
            List<CxAlert> opened = survey.alerts();

            assertThat(opened).extracting(CxAlert::getState).containsExactly(AlertState.OPENED);
            assertThat(opened.get(0).getBaseline()).isCloseTo(187.0 / 1_710, within(1e-12));
            assertThat(opened.get(0).getWindowEnd()).isEqualTo(HOUR.plus(Duration.ofMinutes(57)));
        }
    }

    @Test
    void shouldAlertPerSegmentAndNotOnAThinHour(LocalPlatform platform) {
        try (SurveyDriver survey = new SurveyDriver(platform, SurveySettings.defaults(), SurveyObserver.NONE)) {
            sendBaseline(survey, "smb");
            // 29 responses in [10:10, 10:38], all detractors: far above baseline, but fewer than 30
            sendHour(survey, HOUR.plus(Duration.ofMinutes(10)), Duration.ofMinutes(1), 29, 29, "smb");
            assertThat(survey.alerts()).isEmpty();

            sendHour(survey, HOUR.plus(Duration.ofMinutes(39)), Duration.ofMinutes(1), 1, 1, "smb");
            List<CxAlert> alerts = survey.alerts();

            assertThat(alerts).extracting(CxAlert::getState).containsExactlyInAnyOrder(AlertState.OPENED,
                    AlertState.OPENED);
            assertThat(alerts).extracting(CxAlert::getDimension).anySatisfy(dimension ->
                    assertThat(dimension).containsExactlyEntriesOf(java.util.Map.of("segment", "smb")));
        }
    }
}
