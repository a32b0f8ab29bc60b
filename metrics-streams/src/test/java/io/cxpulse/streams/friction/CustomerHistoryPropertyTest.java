package io.cxpulse.streams.friction;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * A customer's NPS responses are joined to the touchpoints before them the same whatever the order in which the
 * responses and touchpoints arrive (all within grace): the response counts per touchpoint, in either group and
 * with their detractors, equal those of arrival in event-time order.
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

    private static TouchpointEvent visit(Signal signal) {
        Instant at = Instant.ofEpochMilli(signal.at());
        return TouchpointEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(at)
                .setReceivedAt(at).setSource("test").setCustomerId("c-1").setChannel(Channel.WEB)
                .setTouchpoint(STEPS[signal.step()]).setOutcome(signal.flag() ? Outcome.FAILED : Outcome.COMPLETED)
                .setFrictionSignals(List.of()).build();
    }
}
