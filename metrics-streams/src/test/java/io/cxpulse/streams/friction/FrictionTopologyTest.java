package io.cxpulse.streams.friction;

import static io.cxpulse.streams.friction.FrictionDriver.at;
import static io.cxpulse.streams.friction.FrictionDriver.touch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.cxpulse.avro.AlertKind;
import io.cxpulse.avro.AlertState;
import io.cxpulse.avro.Channel;
import io.cxpulse.avro.CxAlert;
import io.cxpulse.avro.DeadLetterReason;
import io.cxpulse.avro.FrictionAggregate;
import io.cxpulse.avro.FrictionSignal;
import io.cxpulse.avro.Outcome;
import io.cxpulse.avro.TouchpointEvent;
import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.platform.junit.LocalPlatformExtension;
import io.cxpulse.streams.alert.ExpectedEvidence;
import io.cxpulse.streams.metrics.FrictionMetrics;
import io.cxpulse.streams.window.RollingWindow;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The friction topology, hand-computed cases, in a TopologyTestDriver with the rest of the app's topology. */
@ExtendWith(LocalPlatformExtension.class)
class FrictionTopologyTest {
    private static final String PAYMENT = "checkout.payment";

    @Test
    void shouldCountOutcomesSignalsTheFrictionRateAndTheMedianDuration(LocalPlatform platform) {
        try (FrictionDriver friction = new FrictionDriver(platform, FrictionSettings.defaults())) {
            TouchpointEvent retried = touch("c-2", Channel.WEB, PAYMENT, Outcome.COMPLETED, at("10:01"),
                    FrictionSignal.ERROR, FrictionSignal.RETRY).setDurationMs(2_000L).build();
            friction.send(touch("c-1", Channel.WEB, PAYMENT, Outcome.COMPLETED, at("10:00")).setDurationMs(1_000L)
                    .build());
            friction.send(retried);
            friction.send(retried); // a duplicate, counted once
            friction.send(touch("c-3", Channel.WEB, PAYMENT, Outcome.FAILED, at("10:02")).setDurationMs(3_000L)
                    .build());
            friction.send(touch("c-4", Channel.WEB, PAYMENT, Outcome.ABANDONED, at("10:03"),
                    FrictionSignal.LONG_WAIT).setDurationMs(10_000L).build());
            friction.send(touch("c-5", Channel.MOBILE_APP, PAYMENT, Outcome.COMPLETED, at("10:04")).build());

            FrictionBucket hour = friction.window(Channel.WEB, PAYMENT, RollingWindow.HOUR_1, at("10:05"));

            assertThat(List.of(hour.events(), hour.completed(), hour.failed(), hour.abandoned(), hour.withFriction()))
                    .containsExactly(4L, 2L, 1L, 1L, 3L);
            assertThat(hour.frictionRate()).isEqualTo(0.75);
            assertThat(List.of(hour.signal(FrictionSignal.ERROR), hour.signal(FrictionSignal.RETRY),
                    hour.signal(FrictionSignal.LONG_WAIT), hour.signal(FrictionSignal.DEAD_END)))
                    .containsExactly(1L, 1L, 1L, 0L);
            // durations 1, 2, 3, 10 s: the median is the value of rank floor(0.5 * 3) = 1
            assertThat(hour.medianDurationSeconds()).isCloseTo(2.0, withinPercentage(1));
            assertThat(friction.window(Channel.MOBILE_APP, PAYMENT, RollingWindow.HOUR_1, at("10:05")).frictionRate())
                    .isEqualTo(0.0);

            // the same figures on cx.friction-aggregates.v1, for the 1h window ending at stream time (10:04)
            FrictionAggregate aggregate = friction.aggregates().get("WEB|" + PAYMENT + "|1h");
            assertThat(List.of(aggregate.getEvents(), aggregate.getCompleted(), aggregate.getFailed(),
                    aggregate.getAbandoned(), aggregate.getWithFriction())).containsExactly(4L, 2L, 1L, 1L, 3L);
            assertThat(aggregate.getFrictionRate()).isEqualTo(0.75);
            assertThat(aggregate.getSignals()).containsEntry("ERROR", 1L).containsEntry("RETRY", 1L)
                    .containsEntry("LONG_WAIT", 1L).containsEntry("DEAD_END", 0L);
            assertThat(aggregate.getMedianDurationSeconds()).isCloseTo(2.0, withinPercentage(1));
            assertThat(List.of(aggregate.getTouchpoint(), aggregate.getChannel(), aggregate.getWindow()))
                    .containsExactly(PAYMENT, "WEB", "1h");
            long end = RollingWindow.HOUR_1.end(at("10:04").toEpochMilli());
            assertThat(aggregate.getWindowEnd()).isEqualTo(Instant.ofEpochMilli(end));
            assertThat(aggregate.getWindowStart()).isEqualTo(Instant.ofEpochMilli(end).minus(Duration.ofHours(1)));
            assertThat(friction.aggregates().get("MOBILE_APP|" + PAYMENT + "|24h").getEvents()).isEqualTo(1);
        }
    }

    @Test
    void shouldCountAChannelSwitchOncePerJourneyAndNewChannel(LocalPlatform platform) {
        try (FrictionDriver friction = new FrictionDriver(platform, FrictionSettings.defaults())) {
            inJourney(friction, "c-1", "j-1", Channel.WEB, "plan.compare", "10:00");
            friction.send(touch("c-1", Channel.WEB, PAYMENT, Outcome.FAILED, at("10:01"), FrictionSignal.ERROR)
                    .setJourneyId("j-1").build());
            inJourney(friction, "c-1", "j-1", Channel.PHONE, "support.call", "10:05");
            inJourney(friction, "c-1", "j-1", Channel.PHONE, "support.call", "10:20");
            inJourney(friction, "c-1", "j-1", Channel.CHAT, "support.chat", "10:30");
            // another journey on one channel switches nothing
            inJourney(friction, "c-2", "j-2", Channel.PHONE, "support.call", "10:31");

            assertThat(friction.window(Channel.PHONE, "support.call", RollingWindow.HOUR_1, at("10:40"))
                    .channelSwitches()).isEqualTo(1);
            assertThat(friction.window(Channel.CHAT, "support.chat", RollingWindow.HOUR_1, at("10:40"))
                    .channelSwitches()).isEqualTo(1);
            assertThat(friction.window(Channel.WEB, PAYMENT, RollingWindow.HOUR_1, at("10:40")).channelSwitches())
                    .isZero();
        }
    }

    @Test
    void shouldMoveAChannelSwitchToAnEarlierVisitOnItsChannelThatArrivesLateAndCountItOnceInPrometheus(
            LocalPlatform platform) {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (FrictionDriver friction = new FrictionDriver(platform, FrictionSettings.defaults(),
                new FrictionMetrics(registry, 20))) {
            inJourney(friction, "c-3", "j-3", Channel.WEB, "plan.compare", "10:00");
            inJourney(friction, "c-3", "j-3", Channel.CHAT, "support.chat", "10:30");
            // the journey was on CHAT at 10:10 already: that is where it switched
            inJourney(friction, "c-3", "j-3", Channel.CHAT, "help.faq", "10:10");
            // and on PHONE before it was on WEB: now WEB's first visit is a switch, and PHONE's is not
            inJourney(friction, "c-3", "j-3", Channel.PHONE, "support.call", "09:55");

            assertThat(friction.window(Channel.CHAT, "support.chat", RollingWindow.HOUR_1, at("10:40"))
                    .channelSwitches()).isZero();
            assertThat(friction.window(Channel.CHAT, "help.faq", RollingWindow.HOUR_1, at("10:40"))
                    .channelSwitches()).isEqualTo(1);
            assertThat(friction.window(Channel.WEB, "plan.compare", RollingWindow.HOUR_1, at("10:40"))
                    .channelSwitches()).isEqualTo(1);
            assertThat(friction.window(Channel.PHONE, "support.call", RollingWindow.HOUR_1, at("10:40"))
                    .channelSwitches()).isZero();
            // the counter cannot move a count: it has each of the journey's two switches once, where first found
            Map<String, Double> counted = new TreeMap<>();
            registry.find("cx.friction.channel.switches").counters().forEach(counter -> counted.put(
                    counter.getId().getTag("channel") + "|" + counter.getId().getTag("touchpoint"), counter.count()));
            assertThat(counted).isEqualTo(Map.of("CHAT|support.chat", 1.0, "WEB|plan.compare", 1.0));
        }
    }

    /** Sends {@code customer}'s COMPLETED visit at {@code step} on {@code channel}, in {@code journey}. */
    private static void inJourney(FrictionDriver friction, String customer, String journey, Channel channel,
            String step, String time) {
        friction.send(touch(customer, channel, step, Outcome.COMPLETED, at(time)).setJourneyId(journey).build());
    }

    @Test
    void shouldCountARepeatedContactOncePerFailureWithinSevenDaysInEitherArrivalOrder(LocalPlatform platform) {
        try (FrictionDriver friction = new FrictionDriver(platform, FrictionSettings.defaults())) {
            // c-1 fails at payment, then calls twice: one repeated contact
            friction.send(touch("c-1", Channel.WEB, PAYMENT, Outcome.FAILED, at("10:00")).build());
            friction.send(touch("c-1", Channel.PHONE, "support.call", Outcome.COMPLETED, at("10:30")).build());
            friction.send(touch("c-1", Channel.PHONE, "support.call", Outcome.COMPLETED, at("10:40")).build());
            // c-2 abandons, then opens a ticket
            friction.send(touch("c-2", Channel.WEB, PAYMENT, Outcome.ABANDONED, at("10:05")).build());
            friction.ticketOpened("c-2", at("10:50"));
            // c-3's chat arrives before the failure it follows (out of order)
            friction.send(touch("c-3", Channel.CHAT, "support.chat", Outcome.COMPLETED, at("10:45")).build());
            friction.send(touch("c-3", Channel.WEB, PAYMENT, Outcome.FAILED, at("10:10")).build());
            // c-4 completes and calls: no failure to repeat
            friction.send(touch("c-4", Channel.WEB, PAYMENT, Outcome.COMPLETED, at("10:11")).build());
            friction.send(touch("c-4", Channel.PHONE, "support.call", Outcome.COMPLETED, at("10:51")).build());
            // c-5 fails and is not in touch again
            friction.send(touch("c-5", Channel.WEB, PAYMENT, Outcome.FAILED, at("10:12")).build());

            assertThat(friction.window(Channel.WEB, PAYMENT, RollingWindow.DAY_1, at("11:00")).repeatedContacts())
                    .isEqualTo(3);
        }
    }

    @Test
    void shouldNotCountAContactMoreThanSevenDaysAfterTheFailure(LocalPlatform platform) {
        try (FrictionDriver friction = new FrictionDriver(platform, FrictionSettings.defaults())) {
            friction.send(touch("c-5", Channel.WEB, PAYMENT, Outcome.FAILED, at("10:12")).build());
            Instant later = at("10:13").plus(Duration.ofDays(7));
            friction.send(touch("c-5", Channel.PHONE, "support.call", Outcome.COMPLETED, later).build());

            assertThat(friction.window(Channel.WEB, PAYMENT, RollingWindow.DAYS_7, later).repeatedContacts())
                    .isZero();
        }
    }

    @Test
    void shouldCountJourneysWithRepeatedInputOnce(LocalPlatform platform) {
        try (FrictionDriver friction = new FrictionDriver(platform, FrictionSettings.defaults())) {
            for (String time : List.of("10:00", "10:01", "10:02")) {
                friction.send(touch("c-1", Channel.WEB, "signup.address", Outcome.COMPLETED, at(time),
                        FrictionSignal.REPEATED_INPUT).setJourneyId("j-1").build());
            }
            friction.send(touch("c-2", Channel.WEB, "signup.address", Outcome.COMPLETED, at("10:03"),
                    FrictionSignal.REPEATED_INPUT).setJourneyId("j-2").build());

            FrictionBucket hour = friction.window(Channel.WEB, "signup.address", RollingWindow.HOUR_1, at("10:05"));

            assertThat(hour.signal(FrictionSignal.REPEATED_INPUT)).isEqualTo(4);
            assertThat(hour.repeatedInputJourneys()).isEqualTo(2);
        }
    }

    /**
     * Ten customers meet friction at payment and six of them are detractors; ten pass it cleanly and one is. The
     * lift is 6/10 - 1/10 = 0.5; the pooled share is 7/20 = 0.35, so z = 0.5 / sqrt(0.35 * 0.65 * (1/10 + 1/10))
     * = 2.3440.
     */
    /** With room in memory for one customer, every history is written out and read back between customers. */
    @ParameterizedTest(name = "{0} customers in memory")
    @ValueSource(ints = {1, 5_000})
    void shouldGiveTheDetractorLiftOfAConstructedDataSet(int customersInMemory, LocalPlatform platform) {
        FrictionSettings settings = FrictionSettings.with(Map.of("friction.lift.min.responses", "10",
                "friction.customers.in.memory", Integer.toString(customersInMemory)));
        try (FrictionDriver friction = new FrictionDriver(platform, settings)) {
            for (int i = 0; i < 20; i++) {
                boolean met = i < 10;
                String customer = "c-" + i;
                friction.send(touch(customer, Channel.WEB, "plan.compare", Outcome.COMPLETED, at("10:00")).build());
                friction.send(touch(customer, Channel.WEB, PAYMENT, met ? Outcome.FAILED : Outcome.COMPLETED,
                        at("10:01")).build());
                boolean detractor = met ? i < 6 : i == 10;
                friction.nps(customer, detractor ? 3 : 9, at("10:30"));
            }
            // a response with no touchpoints in the 7 days before joins nothing
            friction.nps("c-none", 0, at("10:31"));

            FrictionBucket payment = friction.window(Channel.WEB, PAYMENT, RollingWindow.DAY_1, at("11:00"));
            FrictionBucket compare = friction.window(Channel.WEB, "plan.compare", RollingWindow.DAY_1, at("11:00"));

            assertThat(List.of(payment.frictionResponses(), payment.frictionDetractors(), payment.cleanResponses(),
                    payment.cleanDetractors())).containsExactly(10L, 6L, 10L, 1L);
            assertThat(payment.detractorLift()).isCloseTo(0.5, within(1e-12));
            assertThat(payment.liftZ()).isCloseTo(0.5 / Math.sqrt(0.35 * 0.65 * 0.2), within(1e-12));
            assertThat(payment.liftZ()).isCloseTo(2.3440, within(1e-4));
            assertThat(payment.liftSignificant(settings.liftMinResponses(), settings.liftZ())).isTrue();
            assertThat(payment.liftSignificant(30, 1.96)).isFalse();
            // everyone passed plan.compare cleanly: no lift there
            assertThat(compare.cleanResponses()).isEqualTo(20);
            assertThat(compare.detractorLift()).isNull();

            FrictionAggregate aggregate = friction.aggregates().get("WEB|" + PAYMENT + "|24h");
            assertThat(List.of(aggregate.getFrictionResponses(), aggregate.getFrictionDetractors(),
                    aggregate.getCleanResponses(), aggregate.getCleanDetractors())).containsExactly(10L, 6L, 10L, 1L);
            assertThat(aggregate.getDetractorLift()).isCloseTo(0.5, within(1e-12));
            assertThat(aggregate.getLiftZ()).isCloseTo(2.3440, within(1e-4));
            assertThat(aggregate.getLiftSignificant()).isTrue();
            assertThat(friction.aggregates().get("WEB|plan.compare|24h").getDetractorLift()).isNull();
        }
    }

    /**
     * Responses and the touchpoints before them, in time order and with the responses first (the touchpoints
     * late), give the same counts. c-1 met friction at payment, c-2 passed it cleanly; c-3 passed
     * it cleanly, then met friction there (so it moves to the friction group when that arrives late), then met
     * friction after responding (which does not count); c-4's touchpoint came first. With room in memory for one
     * customer, every history is written out and read back between customers.
     */
    @ParameterizedTest(name = "{0} customers in memory")
    @ValueSource(ints = {1, 5_000})
    void shouldJoinResponsesToTouchpointsBeforeThemWhateverTheArrivalOrder(int customersInMemory,
            LocalPlatform platform) {
        List<TouchpointEvent> touchpoints = List.of(
                touch("c-1", Channel.WEB, PAYMENT, Outcome.FAILED, at("10:01")).build(),
                touch("c-2", Channel.WEB, PAYMENT, Outcome.COMPLETED, at("10:02")).build(),
                touch("c-3", Channel.WEB, PAYMENT, Outcome.COMPLETED, at("10:03")).build(),
                touch("c-3", Channel.WEB, PAYMENT, Outcome.FAILED, at("10:10")).build(),
                touch("c-3", Channel.WEB, PAYMENT, Outcome.FAILED, at("10:40")).build());
        Map<String, Integer> scores = Map.of("c-1", 2, "c-2", 10, "c-3", 5);
        List<List<Long>> counts = new ArrayList<>();
        for (boolean responsesFirst : new boolean[] {false, true}) {
            try (FrictionDriver friction = new FrictionDriver(platform,
                    FrictionSettings.with(Map.of("friction.customers.in.memory",
                            Integer.toString(customersInMemory))))) {
                friction.send(touch("c-4", Channel.WEB, PAYMENT, Outcome.FAILED, at("10:05")).build());
                friction.nps("c-4", 9, at("10:30"));
                if (responsesFirst) {
                    scores.forEach((customer, score) -> friction.nps(customer, score, at("10:30")));
                }
                touchpoints.forEach(friction::send);
                if (!responsesFirst) {
                    scores.forEach((customer, score) -> friction.nps(customer, score, at("10:30")));
                }
                FrictionBucket payment = friction.window(Channel.WEB, PAYMENT, RollingWindow.DAY_1, at("11:00"));
                counts.add(List.of(payment.frictionResponses(), payment.frictionDetractors(),
                        payment.cleanResponses(), payment.cleanDetractors()));
            }
        }

        assertThat(counts.get(0)).containsExactly(3L, 2L, 1L, 0L);
        assertThat(counts.get(1)).as("responses first").isEqualTo(counts.get(0));
    }

    @Test
    void shouldAlertWhenATouchpointsFrictionRateRisesAboveItsSevenDayBaseline(LocalPlatform platform) {
        FrictionSettings settings = FrictionSettings.with(Map.of("friction.alerts.min.baseline", "100"));
        try (FrictionDriver friction = new FrictionDriver(platform, settings)) {
            // the baseline: 100 events at 07:00-07:59 the day before, 5 with friction (the 7 days before the rule's
            // 6-hour memory)
            for (int i = 0; i < 100; i++) {
                friction.send(touch("b-" + i, Channel.WEB, PAYMENT, i < 5 ? Outcome.FAILED : Outcome.COMPLETED,
                        at("07:00").minus(Duration.ofDays(1)).plusSeconds(30L * i)).build());
            }
            // 10:00-10:29: 40 events, 20 with friction, received together at 10:30 (so the alert sees them all)
            for (int i = 0; i < 40; i++) {
                friction.send(touch("h-" + i, Channel.WEB, PAYMENT, i % 2 == 0 ? Outcome.FAILED : Outcome.COMPLETED,
                        at("10:00").plusSeconds(45L * i)).setReceivedAt(at("10:30")).build());
            }

            List<CxAlert> alerts = friction.alerts();

            // p0 is the upper end of the Wilson interval of 5 in 100, 0.0992: warning evidence 11.6 for a rise of
            // 10 points, page evidence 17.1 for 20
            assertThat(alerts).extracting(CxAlert::getSeverity).containsExactlyInAnyOrder("warning", "critical");
            for (CxAlert alert : alerts) {
                double rise = alert.getSeverity().equals("warning") ? 0.10 : 0.20;
                assertThat(alert.getKind()).isEqualTo(AlertKind.FRICTION_RATE);
                assertThat(alert.getState()).isEqualTo(AlertState.OPENED);
                assertThat(alert.getDimension()).containsEntry("touchpoint", PAYMENT).containsEntry("channel", "WEB");
                assertThat(alert.getObserved()).isEqualTo(0.5);
                assertThat(alert.getBaseline()).isEqualTo(0.05);
                assertThat(alert.getEvidence()).isCloseTo(
                        ExpectedEvidence.of(5, 100, rise, 20, 20), within(1e-9));
                assertThat(alert.getSampleSize()).isEqualTo(40);
                assertThat(alert.getWindowStart()).isEqualTo(at("10:00"));
            }
            assertThat(friction.alerts()).isEmpty();
        }
    }

    @Test
    void shouldDeadLetterATouchpointKeyedByAnythingButItsCustomerId(LocalPlatform platform) {
        try (FrictionDriver friction = new FrictionDriver(platform, FrictionSettings.defaults())) {
            friction.send(touch("c-1", Channel.WEB, PAYMENT, Outcome.COMPLETED, at("10:00")).build());
            // c-2's touchpoint under c-1's key would join c-1's history
            friction.sendKeyed("c-1", touch("c-2", Channel.WEB, PAYMENT, Outcome.COMPLETED, at("10:01")).build());

            assertThat(friction.deadLetters()).extracting(letter -> letter.getReason())
                    .containsExactly(DeadLetterReason.CONTRACT_VIOLATION);
            assertThat(friction.window(Channel.WEB, PAYMENT, RollingWindow.HOUR_1, at("10:05")).events())
                    .isEqualTo(1);
        }
    }
}
