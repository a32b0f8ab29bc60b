package io.cxpulse.streams.friction;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import io.cxpulse.avro.Channel;
import io.cxpulse.avro.Outcome;
import io.cxpulse.avro.SurveyMetric;
import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.avro.TicketEvent;
import io.cxpulse.avro.TicketEventType;
import io.cxpulse.avro.TicketPriority;
import io.cxpulse.avro.TouchpointEvent;
import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.platform.junit.TemporaryPlatform;
import io.cxpulse.streams.ticket.TicketBucket;
import io.cxpulse.streams.window.RollingWindow;

import org.apache.avro.specific.SpecificRecord;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * An export that spans days and all three inputs (touchpoints, NPS responses, ticket lifecycles) gives the same
 * figures in any arrival order as in time order: the survey windows, every touchpoint's friction counts and detractor
 * lift, and the tickets' durations and counts, read at each event's time.
 */
class ArrivalOrderPropertyTest {
    private static final Instant START = FrictionDriver.at("00:00");
    private static final List<String> STEPS = List.of("checkout.payment", "onboarding.kyc");
    private static final List<Channel> CHANNELS = List.of(Channel.WEB, Channel.PHONE, Channel.CHAT);
    private static TemporaryPlatform temporary;
    private static LocalPlatform platform;

    @BeforeContainer
    static void startPlatform() {
        temporary = TemporaryPlatform.start();
        platform = temporary.platform();
    }

    @AfterContainer
    static void stopPlatform() {
        temporary.close();
    }

    @Provide
    Arbitrary<List<SpecificRecord>> exports() {
        Arbitrary<Integer> customer = Arbitraries.integers().between(0, 3);
        Arbitrary<Long> minute = Arbitraries.longs().between(0, 4L * 24 * 60);
        Arbitrary<List<SpecificRecord>> touch = Combinators.combine(customer, minute, Arbitraries.of(STEPS),
                Arbitraries.of(CHANNELS), Arbitraries.of(Outcome.COMPLETED, Outcome.FAILED, Outcome.ABANDONED))
                .as((c, m, step, channel, outcome) -> List.of(FrictionDriver.touch("c-" + c, channel, step, outcome,
                        START.plus(Duration.ofMinutes(m))).build()));
        Arbitrary<List<SpecificRecord>> nps = Combinators.combine(customer, minute, Arbitraries.integers()
                .between(0, 10)).as((c, m, score) -> List.of(SurveyResponse.newBuilder()
                        .setEventId(UUID.randomUUID().toString()).setOccurredAt(START.plus(Duration.ofMinutes(m)))
                        .setReceivedAt(START).setSource("test").setCustomerId("c-" + c).setSurveyId("nps")
                        .setMetric(SurveyMetric.NPS).setScore(score).build()));
        Arbitrary<List<SpecificRecord>> ticket = Combinators.combine(customer, minute,
                Arbitraries.integers().between(1, 600), Arbitraries.integers().between(1, 600),
                Arbitraries.of(true, false), Arbitraries.of(TicketPriority.HIGH, TicketPriority.NORMAL))
                .as((c, m, reply, resolve, reopen, priority) -> {
                    String id = "t-" + UUID.randomUUID();
                    Instant opened = START.plus(Duration.ofMinutes(m));
                    List<SpecificRecord> events = new ArrayList<>();
                    events.add(ticketEvent(id, c, TicketEventType.OPENED, opened, priority));
                    Instant replied = opened.plus(Duration.ofMinutes(reply));
                    events.add(ticketEvent(id, c, TicketEventType.AGENT_REPLIED, replied, priority));
                    Instant resolved = replied.plus(Duration.ofMinutes(resolve));
                    events.add(ticketEvent(id, c, TicketEventType.RESOLVED, resolved, priority));
                    if (reopen) {
                        events.add(ticketEvent(id, c, TicketEventType.REOPENED, resolved.plus(Duration.ofHours(2)),
                                priority));
                        events.add(ticketEvent(id, c, TicketEventType.RESOLVED, resolved.plus(Duration.ofHours(5)),
                                priority));
                    }
                    return events;
                });
        return Arbitraries.oneOf(touch, touch, nps, ticket).list().ofMinSize(1).ofMaxSize(25)
                .map(groups -> groups.stream().flatMap(List::stream).toList());
    }

    private static TicketEvent ticketEvent(String id, int customer, TicketEventType type, Instant at,
            TicketPriority priority) {
        return TicketEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(at).setReceivedAt(at)
                .setSource("test").setCustomerId("c-" + customer).setTicketId(id).setType(type).setPriority(priority)
                .setChannel(Channel.CHAT).setQueue("billing").build();
    }

    @Property(tries = 10)
    void anyArrivalOrderGivesTheFiguresOfTimeOrder(@ForAll("exports") List<SpecificRecord> export,
            @ForAll long seed) {
        List<SpecificRecord> inTimeOrder = new ArrayList<>(export);
        inTimeOrder.sort(Comparator.comparing(ArrivalOrderPropertyTest::occurredAt));
        List<SpecificRecord> shuffled = new ArrayList<>(export);
        Collections.shuffle(shuffled, new Random(seed));

        Map<String, Object> expected = figures(inTimeOrder);
        Map<String, Object> actual = figures(shuffled);
        Map<String, List<Object>> differences = new TreeMap<>();
        expected.forEach((key, value) -> {
            if (!value.equals(actual.get(key))) {
                differences.put(key, Arrays.asList(value, actual.get(key)));
            }
        });
        assertThat(differences).as("figures that differ: time order, then arrival order").isEmpty();
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
    }

    /** The figures after the events arrive, all received a minute after the last of them, in the given order. */
    private static Map<String, Object> figures(List<SpecificRecord> arrival) {
        Instant received = arrival.stream().map(ArrivalOrderPropertyTest::occurredAt).max(Instant::compareTo)
                .orElseThrow().plusSeconds(60);
        Map<String, Object> figures = new TreeMap<>();
        try (FrictionDriver friction = new FrictionDriver(platform, FrictionSettings.defaults())) {
            for (SpecificRecord event : arrival) {
                if (event instanceof TouchpointEvent touch) {
                    friction.send(TouchpointEvent.newBuilder(touch).setReceivedAt(received).build());
                } else if (event instanceof SurveyResponse response) {
                    friction.send(SurveyResponse.newBuilder(response).setReceivedAt(received).build());
                } else {
                    friction.send(TicketEvent.newBuilder((TicketEvent) event).setReceivedAt(received).build());
                }
            }
            friction.tick();
            for (SpecificRecord event : arrival) {
                Instant at = occurredAt(event);
                figures.put("nps 24h @" + at, Arrays.toString(friction.nps(RollingWindow.DAY_1, at).counts()));
                figures.put("nps 7d @" + at, Arrays.toString(friction.nps(RollingWindow.DAYS_7, at).counts()));
                for (String step : STEPS) {
                    for (Channel channel : CHANNELS) {
                        figures.put(channel + "|" + step + " 7d @" + at, describe(friction.window(channel, step,
                                RollingWindow.DAYS_7, at)));
                    }
                }
                TicketBucket tickets = friction.ticketWindow(RollingWindow.DAYS_7, at);
                figures.put("tickets 7d @" + at, List.of(tickets.firstResponse().figures(),
                        tickets.firstResolution().figures(), tickets.fullResolution().figures(), tickets.resolved(),
                        tickets.reopened(), tickets.oneTouch()));
            }
            // every response counts: they all fall in the 7 days before the last event
            long responses = arrival.stream().filter(SurveyResponse.class::isInstance).count();
            assertThat(friction.nps(RollingWindow.DAYS_7, received).responses()).isEqualTo(responses);
            assertThat(friction.deadLetters()).isEmpty();
        }
        return figures;
    }

    private static List<Object> describe(FrictionBucket bucket) {
        return Arrays.asList(bucket.events(), bucket.completed(), bucket.failed(), bucket.abandoned(),
                bucket.withFriction(), bucket.channelSwitches(), bucket.repeatedContacts(),
                bucket.repeatedInputJourneys(), bucket.frictionResponses(), bucket.frictionDetractors(),
                bucket.cleanResponses(), bucket.cleanDetractors(), bucket.medianDurationSeconds());
    }

    private static Instant occurredAt(SpecificRecord event) {
        return event instanceof TouchpointEvent touch ? touch.getOccurredAt()
                : event instanceof SurveyResponse response ? response.getOccurredAt()
                : ((TicketEvent) event).getOccurredAt();
    }
}
