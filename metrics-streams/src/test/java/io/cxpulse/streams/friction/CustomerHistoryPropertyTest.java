package io.cxpulse.streams.friction;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import io.cxpulse.avro.Channel;
import io.cxpulse.avro.Outcome;
import io.cxpulse.avro.TouchpointEvent;
import io.cxpulse.streams.friction.CustomerHistory.Found;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * What a customer's history counts does not depend on the order in which its events arrive:
 * <ul>
 *   <li>NPS responses are joined to the touchpoints before them: the response counts per touchpoint, in either
 *       group and with their detractors, equal those of arrival in event-time order;</li>
 *   <li>channel switches: the counts per touchpoint equal an independent computation from the whole journey
 *       (each channel but the first, at its earliest visit), and the switches an observer takes number the
 *       journey's channels less one; a history pruned short never takes back a switch it did not count.</li>
 * </ul>
 */
class CustomerHistoryPropertyTest {
    private static final Instant START = Instant.parse("2026-11-20T10:00:00Z");
    private static final long RETENTION = Duration.ofDays(7).toMillis();
    private static final String[] STEPS = {"plan.compare", "checkout.payment", "checkout.confirm"};

    /** A touchpoint visit or an NPS response, at a minute after {@link #START}. */
    record Signal(int minute, boolean response, int step, boolean flag) {
        long at() {
            return START.plus(Duration.ofMinutes(minute)).toEpochMilli();
        }
    }

    @Property(tries = 500)
    void shouldJoinResponsesTheSameWhateverTheArrivalOrder(@ForAll("signals") List<Signal> signals,
            @ForAll long seed) {
        List<Signal> inTimeOrder = new ArrayList<>(signals);
        inTimeOrder.sort(Comparator.comparingInt(Signal::minute));
        List<Signal> shuffled = new ArrayList<>(signals);
        Collections.shuffle(shuffled, new Random(seed));

        assertThat(responseCounts(shuffled)).isEqualTo(responseCounts(inTimeOrder));
    }

    /** A visit of journey {@code journey} on {@code channel} at {@code step}, at a minute after {@link #START}. */
    record JourneyVisit(int minute, int journey, Channel channel, int step) {
        String touchpoint() {
            return new Touchpoint(channel, STEPS[step]).key();
        }
    }

    @Property(tries = 500)
    void shouldCountChannelSwitchesAtEachChannelsEarliestVisitWhateverTheArrivalOrder(
            @ForAll("journeyVisits") List<JourneyVisit> visits) {
        CustomerHistory history = new CustomerHistory();
        Map<String, Long> counted = new TreeMap<>();
        long observed = 0;
        for (JourneyVisit visit : visits) {
            for (Found count : history.touch(journeyVisit(visit), RETENTION, List.of())) {
                long switches = count.bucket().channelSwitches();
                if (switches != 0) {
                    counted.merge(count.touchpoint(), switches, Long::sum);
                    observed += count.observed() ? switches : 0;
                }
            }
            // as the store keeps it between events: the marks of where switches are counted go with it
            history = roundTrip(history);
        }
        counted.values().removeIf(switches -> switches == 0);

        // independently: per journey, each channel's earliest visit (time, then channel, then touchpoint) in that
        // order; every one but the first is a switch
        Comparator<JourneyVisit> earliestFirst = Comparator.comparingInt(JourneyVisit::minute)
                .thenComparing(JourneyVisit::channel).thenComparing(JourneyVisit::touchpoint);
        Map<String, Long> expected = new TreeMap<>();
        long channelsBeyondFirst = 0;
        Map<Integer, List<JourneyVisit>> byJourney = new TreeMap<>();
        visits.forEach(visit -> byJourney.computeIfAbsent(visit.journey(), journey -> new ArrayList<>()).add(visit));
        for (List<JourneyVisit> journey : byJourney.values()) {
            Map<Channel, JourneyVisit> earliest = new TreeMap<>();
            journey.forEach(visit -> earliest.merge(visit.channel(), visit,
                    (a, b) -> earliestFirst.compare(a, b) <= 0 ? a : b));
            List<JourneyVisit> firsts = earliest.values().stream().sorted(earliestFirst).toList();
            firsts.stream().skip(1).forEach(visit -> expected.merge(visit.touchpoint(), 1L, Long::sum));
            channelsBeyondFirst += firsts.size() - 1;
        }

        assertThat(counted).isEqualTo(expected);
        assertThat(observed).isEqualTo(channelsBeyondFirst);
    }

    @Property(tries = 500)
    void shouldNeverTakeBackAChannelSwitchThatWasNotCountedWhenTheHistoryIsPrunedShort(
            @ForAll("journeyVisits") List<JourneyVisit> visits, @ForAll @IntRange(min = 1, max = 6) int maxVisits) {
        CustomerHistory history = new CustomerHistory();
        Map<String, Long> counted = new TreeMap<>();
        for (JourneyVisit visit : visits) {
            for (Found count : history.touch(journeyVisit(visit), RETENTION, List.of())) {
                counted.merge(count.touchpoint(), count.bucket().channelSwitches(), Long::sum);
            }
            history.prune(Long.MIN_VALUE, maxVisits, 10);
            history = roundTrip(history);
            assertThat(counted.values()).allMatch(switches -> switches >= 0);
        }
    }

    @Provide
    Arbitrary<List<JourneyVisit>> journeyVisits() {
        // few minutes, channels and steps, so that ties and late visits that move a switch are common
        return Combinators.combine(Arbitraries.integers().between(0, 20), Arbitraries.integers().between(0, 2),
                        Arbitraries.of(Channel.WEB, Channel.MOBILE_APP, Channel.PHONE, Channel.CHAT),
                        Arbitraries.integers().between(0, STEPS.length - 1))
                .as(JourneyVisit::new).list().ofMinSize(1).ofMaxSize(30);
    }

    @Provide
    Arbitrary<List<Signal>> signals() {
        return Combinators.combine(Arbitraries.integers().between(0, 120), Arbitraries.of(true, false),
                        Arbitraries.integers().between(0, STEPS.length - 1), Arbitraries.of(true, false))
                .as(Signal::new).list().ofMinSize(1).ofMaxSize(30);
    }

    /** Per touchpoint: responses and detractors of the friction group, then of the clean group. */
    private static Map<String, List<Long>> responseCounts(List<Signal> arrivals) {
        CustomerHistory history = new CustomerHistory();
        KeptResponses kept = new KeptResponses();
        List<Found> found = new ArrayList<>();
        for (Signal signal : arrivals) {
            if (signal.response()) {
                found.addAll(history.respond(signal.at(), signal.flag(), RETENTION));
                kept.add(signal.at(), signal.flag());
            } else {
                found.addAll(history.touch(visit(signal), RETENTION, kept.all()));
            }
        }
        Map<String, FrictionBucket> sums = new TreeMap<>();
        for (Found count : found) {
            sums.computeIfAbsent(count.touchpoint(), key -> FrictionBucket.empty()).addAll(count.bucket());
        }
        Map<String, List<Long>> counts = new TreeMap<>();
        sums.forEach((touchpoint, sum) -> counts.put(touchpoint, List.of(sum.frictionResponses(),
                sum.frictionDetractors(), sum.cleanResponses(), sum.cleanDetractors())));
        return counts;
    }

    private static CustomerHistory roundTrip(CustomerHistory history) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            history.writeTo(new DataOutputStream(bytes));
            return CustomerHistory.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TouchpointEvent journeyVisit(JourneyVisit visit) {
        Instant at = START.plus(Duration.ofMinutes(visit.minute()));
        return TouchpointEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(at)
                .setReceivedAt(at).setSource("test").setCustomerId("c-1").setChannel(visit.channel())
                .setJourneyId("j-" + visit.journey()).setTouchpoint(STEPS[visit.step()]).setOutcome(Outcome.COMPLETED)
                .setFrictionSignals(List.of()).build();
    }

    private static TouchpointEvent visit(Signal signal) {
        Instant at = Instant.ofEpochMilli(signal.at());
        return TouchpointEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(at)
                .setReceivedAt(at).setSource("test").setCustomerId("c-1").setChannel(Channel.WEB)
                .setTouchpoint(STEPS[signal.step()]).setOutcome(signal.flag() ? Outcome.FAILED : Outcome.COMPLETED)
                .setFrictionSignals(List.of()).build();
    }
}
