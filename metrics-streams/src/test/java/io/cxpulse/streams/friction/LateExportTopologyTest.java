package io.cxpulse.streams.friction;

import static io.cxpulse.streams.friction.FrictionDriver.at;
import static io.cxpulse.streams.friction.FrictionDriver.touch;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.cxpulse.avro.Channel;
import io.cxpulse.avro.Outcome;
import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.platform.junit.LocalPlatformExtension;
import io.cxpulse.streams.survey.ScoreHistogram;
import io.cxpulse.streams.window.RollingWindow;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exports and imports beside live traffic, in the one task where the three inputs meet (as in the application):
 * each input is judged late against its own progress, so a survey export hours behind live touchpoints, and an
 * import of days-old touchpoints and responses in either order, count in full, in the survey windows and in the
 * friction join. The expected figures are counted by hand from the events below.
 */
@ExtendWith(LocalPlatformExtension.class)
class LateExportTopologyTest {
    private static final String PAYMENT = "checkout.payment";
    private static final String HOME = "home";

    @Test
    void shouldCountASurveyExportHoursBehindLiveTouchpointsAndAnImportDaysOld(LocalPlatform platform) {
        try (FrictionDriver friction = new FrictionDriver(platform, FrictionSettings.defaults())) {
            // 09:00-09:09: ten customers reach the payment step live; the even ones fail there
            for (int i = 0; i < 10; i++) {
                friction.send(touch("c-" + i, Channel.WEB, PAYMENT, i % 2 == 0 ? Outcome.FAILED : Outcome.COMPLETED,
                        at("09:00").plus(Duration.ofMinutes(i))).build());
            }
            // live touchpoints of others every minute until 12:30: the touchpoints' clock moves on
            for (Instant t = at("09:10"); !t.isAfter(at("12:30")); t = t.plus(Duration.ofMinutes(1))) {
                friction.send(touch("live-" + t.getEpochSecond(), Channel.WEB, HOME, Outcome.COMPLETED, t).build());
            }
            // the hourly survey export arrives at 12:30 with the ten customers' answers from 09:30, three hours
            // behind the touchpoints: the ones who failed are detractors (3), the others promoters (9)
            for (int i = 0; i < 10; i++) {
                friction.nps("c-" + i, i % 2 == 0 ? 3 : 9, at("09:30").plusSeconds(i), at("12:30").plusSeconds(30));
            }
            // an import of three days ago, the responses before the touchpoints they follow
            Instant daysAgo = at("10:00").minus(Duration.ofDays(3));
            Instant imported = at("12:31");
            for (int i = 0; i < 6; i++) {
                friction.nps("old-" + i, i % 2 == 0 ? 2 : 10, daysAgo.plusSeconds(i), imported);
            }
            for (int i = 0; i < 6; i++) {
                friction.send(touch("old-" + i, Channel.WEB, PAYMENT, i % 2 == 0 ? Outcome.FAILED : Outcome.COMPLETED,
                        daysAgo.minus(Duration.ofHours(1)).plusSeconds(i)).setReceivedAt(imported).build());
            }

            ScoreHistogram export = friction.nps(RollingWindow.HOUR_1, at("09:30"));
            assertThat(export.counts()).containsExactly(0, 0, 0, 5, 0, 0, 0, 0, 0, 5, 0);
            ScoreHistogram old = friction.nps(RollingWindow.DAY_1, daysAgo);
            assertThat(old.counts()).containsExactly(0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 3);
            // the NPS responses joined to the payment step they followed: 5 + 3 met friction there and are all
            // detractors; 5 + 3 passed cleanly and none is
            FrictionBucket today = friction.window(Channel.WEB, PAYMENT, RollingWindow.DAY_1, at("12:30"));
            assertThat(List.of(today.frictionResponses(), today.frictionDetractors(), today.cleanResponses(),
                    today.cleanDetractors())).containsExactly(5L, 5L, 5L, 0L);
            FrictionBucket then = friction.window(Channel.WEB, PAYMENT, RollingWindow.DAY_1, daysAgo);
            assertThat(List.of(then.frictionResponses(), then.frictionDetractors(), then.cleanResponses(),
                    then.cleanDetractors())).containsExactly(3L, 3L, 3L, 0L);
            assertThat(then.events()).isEqualTo(6);
            assertThat(friction.deadLetters()).isEmpty();
        }
    }
}
