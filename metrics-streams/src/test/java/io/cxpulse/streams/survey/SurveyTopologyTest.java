package io.cxpulse.streams.survey;

import static io.cxpulse.streams.survey.SurveyDriver.T0;
import static io.cxpulse.streams.survey.SurveyDriver.nps;
import static io.cxpulse.streams.survey.SurveyDriver.scores;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.cxpulse.avro.Channel;
import io.cxpulse.avro.DeadLetter;
import io.cxpulse.avro.DeadLetterReason;
import io.cxpulse.avro.SurveyAggregate;
import io.cxpulse.avro.SurveyMetric;
import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.platform.junit.LocalPlatformExtension;
import io.cxpulse.streams.window.RollingWindow;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalPlatformExtension.class)
class SurveyTopologyTest {
    private static final Instant AT = T0.plus(Duration.ofMinutes(30));

    @Test
    void shouldGiveNps30ForFivePromotersThreePassivesAndTwoDetractors(LocalPlatform platform) {
        try (SurveyDriver survey = new SurveyDriver(platform, SurveySettings.defaults(), SurveyObserver.NONE)) {
            survey.send(scores(SurveyMetric.NPS, AT, 10, 9, 9, 10, 9, 7, 8, 7, 3, 6));

            for (String window : List.of("1h", "24h", "7d")) {
                SurveyAggregate all = survey.aggregate("NPS|all|" + window);
                assertThat(all.getResponses()).as(window).isEqualTo(10);
                assertThat(all.getPromoters()).isEqualTo(5);
                assertThat(all.getPassives()).isEqualTo(3);
                assertThat(all.getDetractors()).isEqualTo(2);
                assertThat(all.getNps()).isEqualTo(30.0);
                // p = 0.5, d = 0.2: 1.96 * 100 * sqrt((0.7 - 0.09) / 10) = 48.4084...
                assertThat(all.getMarginOfError()).isCloseTo(48.40843, within(1e-5));
                assertThat(all.getThinSample()).isTrue();
                assertThat(all.getCounts()).containsExactly(0L, 0L, 0L, 1L, 0L, 0L, 1L, 2L, 1L, 3L, 2L);
            }
            SurveyAggregate hour = survey.aggregate("NPS|all|1h");
            assertThat(hour.getWindowEnd()).isEqualTo(AT.plus(Duration.ofMinutes(1)));
            assertThat(hour.getWindowStart()).isEqualTo(AT.minus(Duration.ofMinutes(59)));
            assertThat(survey.aggregate("NPS|all|24h").getWindowEnd()).isEqualTo(T0.plus(Duration.ofHours(1)));
        }
    }

    @Test
    void shouldGiveTheCsatShareOfFoursAndFives(LocalPlatform platform) {
        try (SurveyDriver survey = new SurveyDriver(platform, SurveySettings.defaults(), SurveyObserver.NONE)) {
            survey.send(scores(SurveyMetric.CSAT, AT, 5, 4, 4, 3, 1));

            SurveyAggregate csat = survey.aggregate("CSAT|all|1h");
            assertThat(csat.getResponses()).isEqualTo(5);
            assertThat(csat.getCsatRatio()).isEqualTo(0.6);
            assertThat(csat.getNps()).isNull();
            assertThat(csat.getMinScore()).isEqualTo(1);
            assertThat(csat.getCounts()).containsExactly(1L, 0L, 1L, 2L, 1L);
        }
    }

    @Test
    void shouldGiveTheCesMeanAndTheShareOfFiveToSeven(LocalPlatform platform) {
        try (SurveyDriver survey = new SurveyDriver(platform, SurveySettings.defaults(), SurveyObserver.NONE)) {
            survey.send(scores(SurveyMetric.CES, AT, 7, 6, 5, 4, 2, 1));

            SurveyAggregate ces = survey.aggregate("CES|all|7d");
            assertThat(ces.getResponses()).isEqualTo(6);
            assertThat(ces.getCesMean()).isCloseTo(25.0 / 6, within(1e-12));
            assertThat(ces.getCesEasyRatio()).isEqualTo(0.5);
        }
    }

    @Test
    void shouldKeepEveryDimensionApart(LocalPlatform platform) {
        try (SurveyDriver survey = new SurveyDriver(platform, SurveySettings.defaults(), SurveyObserver.NONE)) {
            survey.send(List.of(
                    nps(10, AT, "smb", Channel.WEB, "checkout.payment"),
                    nps(0, AT.plusSeconds(1), "smb", Channel.PHONE, "checkout.payment"),
                    nps(9, AT.plusSeconds(2), "enterprise", Channel.WEB, "onboarding"),
                    nps(7, AT.plusSeconds(3), null, null, null)));

            Map<String, SurveyAggregate> out = survey.aggregates();
            assertThat(out.get("NPS|all|1h").getResponses()).isEqualTo(4);
            assertThat(out.get("NPS|segment=smb|1h").getNps()).isEqualTo(0.0);
            assertThat(out.get("NPS|segment=enterprise|1h").getNps()).isEqualTo(100.0);
            assertThat(out.get("NPS|channel=WEB|1h").getNps()).isEqualTo(100.0);
            assertThat(out.get("NPS|channel=PHONE|1h").getNps()).isEqualTo(-100.0);
            assertThat(out.get("NPS|touchpoint=checkout.payment|1h").getResponses()).isEqualTo(2);
            assertThat(out.get("NPS|touchpoint=onboarding|1h").getResponses()).isEqualTo(1);
            assertThat(out.get("NPS|segment=smb|channel=WEB|1h").getNps()).isEqualTo(100.0);
            assertThat(out.get("NPS|segment=smb|channel=PHONE|1h").getDimension())
                    .containsExactlyInAnyOrderEntriesOf(Map.of("segment", "smb", "channel", "PHONE"));
            assertThat(out.keySet()).filteredOn(key -> key.endsWith("|1h")).hasSize(10);
        }
    }

    @Test
    void shouldCountALateEventInTheWindowOfItsOwnTime(LocalPlatform platform) {
        try (SurveyDriver survey = new SurveyDriver(platform, SurveySettings.defaults(), SurveyObserver.NONE)) {
            survey.send(nps(10, T0));
            survey.send(nps(10, T0.plus(Duration.ofHours(2))));
            survey.send(nps(0, T0.plus(Duration.ofMinutes(75))));

            assertThat(survey.aggregate("NPS|all|24h").getResponses()).isEqualTo(3);
            assertThat(survey.window("NPS|all", SurveyMetric.NPS, RollingWindow.HOUR_1,
                    T0.plus(Duration.ofMinutes(75))).counts()).containsExactly(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
            // stream time is 12:00, so the current hour is [11:01, 12:01): the 12:00 response and the late 11:15 one
            assertThat(survey.aggregate("NPS|all|1h").getCounts()).containsExactly(1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L,
                    0L, 0L, 1L);
            assertThat(survey.deadLetters()).isEmpty();
        }
    }

    @Test
    void shouldDeadLetterAReservedSegmentInsteadOfMergingItIntoTheAllRow(LocalPlatform platform) {
        try (SurveyDriver survey = new SurveyDriver(platform, SurveySettings.defaults(), SurveyObserver.NONE)) {
            // a producer that bypasses ingest, which refuses these
            survey.send(nps(0, AT, "all", Channel.WEB, null));
            survey.send(nps(0, AT, "smb", null, "other"));
            survey.send(nps(10, AT, "smb", Channel.WEB, null));

            Map<String, SurveyAggregate> out = survey.aggregates();
            assertThat(out.get("NPS|all|1h").getResponses()).isEqualTo(1);
            assertThat(out.keySet()).noneMatch(key -> key.contains("segment=all") || key.contains("=other"));
            assertThat(survey.deadLetters()).extracting(DeadLetter::getReason, DeadLetter::getCause).containsExactly(
                    tuple(DeadLetterReason.CONTRACT_VIOLATION, "segment 'all' is reserved: all, other, none name "
                            + "groups of events in the metrics"),
                    tuple(DeadLetterReason.CONTRACT_VIOLATION, "touchpoint 'other' is reserved: all, other, none "
                            + "name groups of events in the metrics"));
        }
    }

    @Test
    void shouldCountAResponseDaysLateInItsOwnBucketsAndInTheWindowsThatHoldIt(LocalPlatform platform) {
        try (SurveyDriver survey = new SurveyDriver(platform, SurveySettings.defaults(), SurveyObserver.NONE)) {
            Instant live = T0.plus(Duration.ofDays(3));
            survey.send(nps(10, live));
            // an import of two responses from three days and from twenty hours before, received now
            Instant threeDays = T0.plus(Duration.ofMinutes(5));
            Instant twentyHours = live.minus(Duration.ofHours(20));
            for (Instant at : List.of(threeDays, twentyHours)) {
                survey.send(SurveyDriver.response(SurveyMetric.NPS, 0, at).setReceivedAt(live.plusSeconds(5))
                        .build());
            }

            // the windows that end now: the 24h holds the 20-hour-old one, the 7d both, the 1h neither
            assertThat(survey.aggregate("NPS|all|1h").getResponses()).isEqualTo(1);
            assertThat(survey.aggregate("NPS|all|24h").getResponses()).isEqualTo(2);
            assertThat(survey.aggregate("NPS|all|7d").getResponses()).isEqualTo(3);
            // the past windows: the hour buckets hold both; minute buckets are kept for two days, so only the
            // 20-hour-old one has its 1h window
            assertThat(survey.window("NPS|all", SurveyMetric.NPS, RollingWindow.DAY_1, threeDays).responses())
                    .isEqualTo(1);
            assertThat(survey.window("NPS|all", SurveyMetric.NPS, RollingWindow.HOUR_1, twentyHours).responses())
                    .isEqualTo(1);
            assertThat(survey.deadLetters()).isEmpty();
        }
    }

    @Test
    void shouldDeadLetterAnEventBeyondTheHorizonWithoutCountingIt(LocalPlatform platform) {
        SurveyTopologyObserver observer = new SurveyTopologyObserver();
        try (SurveyDriver survey = new SurveyDriver(platform, SurveySettings.defaults(), observer)) {
            Instant live = T0.plus(Duration.ofDays(40));
            survey.send(nps(10, live));
            // the horizon is 30 days (events.max.age) + 2 days (events.max.lag) + 5 minutes (events.max.clock.skew)
            Instant within = live.minus(Duration.ofDays(32));
            SurveyResponse late = SurveyDriver.response(SurveyMetric.NPS, 0, live.minus(Duration.ofDays(32))
                    .minus(Duration.ofMinutes(6))).setReceivedAt(live.plusSeconds(10)).build();
            survey.send(SurveyDriver.response(SurveyMetric.NPS, 0, within).setReceivedAt(live.plusSeconds(10))
                    .build());
            survey.send(late);
            survey.tick();

            assertThat(survey.window("NPS|all", SurveyMetric.NPS, RollingWindow.DAY_1, within).responses())
                    .isEqualTo(1);
            List<DeadLetter> deadLetters = survey.deadLetters();
            assertThat(deadLetters).hasSize(1);
            assertThat(deadLetters.get(0).getReason()).isEqualTo(DeadLetterReason.LATE_EVENT);
            assertThat(deadLetters.get(0).getOriginalOffset()).isEqualTo(2);
            assertThat(deadLetters.get(0).getOriginalTopic()).isEqualTo("cx.survey-responses.v1");
            assertThat(deadLetters.get(0).getOriginalTimestamp()).isEqualTo(late.getReceivedAt());
            assertThat(deadLetters.get(0).getCause()).contains("PT768H6M", "behind the latest survey event",
                    "lateness horizon of PT768H5M");
            assertThat(observer.deadLettered).containsExactly(DeadLetterReason.LATE_EVENT);
        }
    }

    @Test
    void shouldDeadLetterAnEventAheadOfTheClockSoThatItCannotMoveTime(LocalPlatform platform) {
        SurveyTopologyObserver observer = new SurveyTopologyObserver();
        try (SurveyDriver survey = new SurveyDriver(platform, SurveySettings.defaults(), observer)) {
            // read at T0 + 2s: five minutes of clock skew are allowed, six are not
            SurveyResponse ahead = SurveyDriver.response(SurveyMetric.NPS, 0, T0.plus(Duration.ofMinutes(6)))
                    .setReceivedAt(T0.plusSeconds(2)).build();
            survey.send(ahead);
            // a producer that bypasses ingest, with a clock 40 days ahead
            survey.send(SurveyDriver.response(SurveyMetric.NPS, 0, T0.plus(Duration.ofDays(40)))
                    .setReceivedAt(T0.plusSeconds(2)).build());
            survey.send(SurveyDriver.response(SurveyMetric.NPS, 9, T0.plus(Duration.ofMinutes(4)))
                    .setReceivedAt(T0.plusSeconds(2)).build());
            // had the 40-day one moved this input's progress, this one would be beyond the horizon
            survey.send(SurveyDriver.response(SurveyMetric.NPS, 10, T0).setReceivedAt(T0.plusSeconds(3)).build());

            assertThat(survey.aggregate("NPS|all|24h").getResponses()).isEqualTo(2);
            List<DeadLetter> deadLetters = survey.deadLetters();
            assertThat(deadLetters).extracting(DeadLetter::getReason).containsExactly(DeadLetterReason.FUTURE_EVENT,
                    DeadLetterReason.FUTURE_EVENT);
            assertThat(deadLetters).extracting(DeadLetter::getOriginalOffset).containsExactly(0L, 1L);
            assertThat(deadLetters.get(0).getCause()).contains("ahead of the clock", "PT5M");
            assertThat(observer.deadLettered).containsExactly(DeadLetterReason.FUTURE_EVENT,
                    DeadLetterReason.FUTURE_EVENT);
        }
    }

    @Test
    void shouldCountAnEventIdOnceWhateverTheCaseOfItsHexDigits(LocalPlatform platform) {
        SurveyTopologyObserver observer = new SurveyTopologyObserver();
        try (SurveyDriver survey = new SurveyDriver(platform, SurveySettings.defaults(), observer)) {
            SurveyResponse lower = nps(3, AT);
            SurveyResponse upper = SurveyResponse.newBuilder(lower)
                    .setEventId(lower.getEventId().toUpperCase(java.util.Locale.ROOT)).build();
            survey.send(lower);
            survey.send(upper);

            assertThat(survey.aggregate("NPS|all|1h").getCounts()).containsExactly(0L, 0L, 0L, 1L, 0L, 0L, 0L, 0L,
                    0L, 0L, 0L);
            assertThat(observer.duplicates).isEqualTo(1);
        }
    }

    @Test
    void shouldCountAResponseSentTwiceOnce(LocalPlatform platform) {
        SurveyTopologyObserver observer = new SurveyTopologyObserver();
        try (SurveyDriver survey = new SurveyDriver(platform, SurveySettings.defaults(), observer)) {
            SurveyResponse response = nps(3, AT);
            survey.send(response);
            survey.send(nps(9, AT.plusSeconds(5)));
            survey.send(response);

            assertThat(survey.aggregate("NPS|all|1h").getCounts()).containsExactly(0L, 0L, 0L, 1L, 0L, 0L, 0L, 0L,
                    0L, 1L, 0L);
            assertThat(observer.counted).isEqualTo(2);
            assertThat(observer.duplicates).isEqualTo(1);
        }
    }

    @Test
    void shouldDeadLetterPoisonRecordsWithTheirCoordinatesAndCarryOn(LocalPlatform platform) {
        try (SurveyDriver survey = new SurveyDriver(platform, SurveySettings.defaults(), SurveyObserver.NONE)) {
            byte[] garbage = {1, 2, 3};
            byte[] unknownSchema = ByteBuffer.allocate(9).put((byte) 0).putInt(987_654).putInt(42).array();
            survey.sendRaw("k-1", garbage, AT);
            survey.sendRaw("k-2", unknownSchema, AT);
            survey.send(nps(11, AT));
            survey.sendRaw("k-4", null, AT);
            survey.send(nps(8, AT));

            List<DeadLetter> deadLetters = survey.deadLetters();
            assertThat(deadLetters).extracting(DeadLetter::getReason).containsExactly(DeadLetterReason.UNDECODABLE,
                    DeadLetterReason.UNDECODABLE, DeadLetterReason.CONTRACT_VIOLATION, DeadLetterReason.UNDECODABLE);
            assertThat(deadLetters).extracting(DeadLetter::getOriginalOffset).containsExactly(0L, 1L, 2L, 3L);
            assertThat(deadLetters.get(0).getValue()).isEqualTo(ByteBuffer.wrap(garbage));
            assertThat(deadLetters.get(0).getKey()).isEqualTo(ByteBuffer.wrap("k-1".getBytes()));
            assertThat(deadLetters.get(1).getCause()).contains("987654");
            assertThat(deadLetters.get(2).getCause()).contains("score 11 is outside 0-10");
            assertThat(deadLetters).allSatisfy(letter -> assertThat(letter.getProcessor()).isEqualTo("survey-intake"));
            assertThat(survey.aggregate("NPS|all|1h").getResponses()).isEqualTo(1);
        }
    }

    /**
     * An eventId is the contract's UUID string: one of any other form or length (a producer that bypassed ingest)
     * is dead-lettered, not remembered, so that no batch of remembered ids can outgrow a Kafka record.
     */
    @Test
    void shouldDeadLetterAnEventIdThatIsNotAUuid(LocalPlatform platform) {
        try (SurveyDriver survey = new SurveyDriver(platform, SurveySettings.defaults(), SurveyObserver.NONE)) {
            SurveyResponse huge = nps(9, AT);
            huge.setEventId("x".repeat(300_000));
            SurveyResponse notUuid = nps(9, AT);
            notUuid.setEventId("order-42");
            survey.send(huge);
            survey.send(notUuid);
            survey.send(nps(3, AT));

            List<DeadLetter> deadLetters = survey.deadLetters();
            assertThat(deadLetters).extracting(DeadLetter::getReason).containsOnly(DeadLetterReason.CONTRACT_VIOLATION);
            assertThat(deadLetters).extracting(DeadLetter::getCause).containsExactly(
                    "eventId must be a UUID such as 3f2b8c1e-6a4d-4e0f-9b7a-2c5d8e1f0a3b, not one of 300000 characters "
                            + "starting " + "x".repeat(40),
                    "eventId must be a UUID such as 3f2b8c1e-6a4d-4e0f-9b7a-2c5d8e1f0a3b, not one of 8 characters "
                            + "starting order-42");
            assertThat(survey.aggregate("NPS|all|1h").getCounts()).containsExactly(0L, 0L, 0L, 1L, 0L, 0L, 0L, 0L,
                    0L, 0L, 0L);
        }
    }
}
