package io.cxpulse.streams.friction;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.cxpulse.avro.Channel;
import io.cxpulse.avro.Outcome;
import io.cxpulse.avro.TouchpointEvent;
import io.cxpulse.streams.friction.CustomerHistory.Found;

import org.junit.jupiter.api.Test;

/**
 * Channel switches in a history pruned short stay where they were counted; a repeated contact sits at the earliest
 * contact after its failure in any arrival order.
 */
class CustomerHistoryTest {
    private static final Instant START = Instant.parse("2026-11-20T10:00:00Z");
    private static final long RETENTION = Duration.ofDays(7).toMillis();
    private final CustomerHistory history = new CustomerHistory();

    @Test
    void shouldNotCountASwitchAgainWhenTheVisitItWasCountedAtIsPruned() {
        visit(Channel.WEB, "plan.compare", 0);
        assertThat(switches(visit(Channel.CHAT, "support.chat", 10))).containsExactly("CHAT|support.chat +1 observed");
        visit(Channel.WEB, "plan.compare", 15);
        visit(Channel.CHAT, "help.faq", 20);
        // keeps WEB at 15 and CHAT at 20: the CHAT visit its switch was counted at is gone
        history.prune(Long.MIN_VALUE, 2, 10);

        // PHONE adds a switch; CHAT's stays counted where it was, and is not counted at help.faq too
        assertThat(switches(visit(Channel.PHONE, "support.call", 30)))
                .containsExactly("PHONE|support.call +1 observed");
    }

    @Test
    void shouldNotTakeBackASwitchWhenTheJourneysFirstChannelIsPruned() {
        visit(Channel.WEB, "plan.compare", 0);
        visit(Channel.CHAT, "support.chat", 10);
        visit(Channel.CHAT, "help.faq", 20);
        // keeps the two CHAT visits: the journey looks as if it began on CHAT
        history.prune(Long.MIN_VALUE, 2, 10);

        // CHAT was a switch (WEB came first) and stays one
        assertThat(switches(visit(Channel.MOBILE_APP, "plan.compare", 30)))
                .containsExactly("MOBILE_APP|plan.compare +1 observed");
    }

    @Test
    void shouldMoveASwitchToAnEarlierVisitOnItsChannelWithoutAnObservedCount() {
        visit(Channel.WEB, "plan.compare", 0);
        visit(Channel.CHAT, "support.chat", 10);

        assertThat(switches(visit(Channel.CHAT, "help.faq", 5)))
                .containsExactly("CHAT|support.chat -1", "CHAT|help.faq +1");
        // and a visit before the journey's first makes the first channel a switch and the new one the first
        assertThat(switches(visit(Channel.PHONE, "support.call", -5))).containsExactly("WEB|plan.compare +1 observed");
    }

    @Test
    void shouldCountARepeatedContactAtTheEarliestContactAfterTheFailureWhateverTheArrivalOrder() {
        long earlier = START.plus(Duration.ofHours(2)).toEpochMilli();
        long later = START.plus(Duration.ofDays(3)).toEpochMilli();
        failed("checkout.payment", 0);
        // the later contact (a ticket) arrives first and is counted; the earlier one moves the count to itself
        assertThat(contacts(history.contact(later, RETENTION))).containsExactly("+1 observed @" + later);
        assertThat(contacts(history.contact(earlier, RETENTION)))
                .containsExactly("-1 @" + later, "+1 @" + earlier);

        // a failure arriving after both contacts takes the earliest of them, not the first to have arrived
        CustomerHistory other = new CustomerHistory();
        other.contact(later, RETENTION);
        other.contact(earlier, RETENTION);
        assertThat(contacts(other.touch(event(Channel.WEB, "checkout.payment", 0, Outcome.FAILED), RETENTION,
                List.of()))).containsExactly("+1 observed @" + earlier);
    }

    private void failed(String step, int minute) {
        history.touch(event(Channel.WEB, step, minute, Outcome.FAILED), RETENTION, List.of());
    }

    private static TouchpointEvent event(Channel channel, String step, int minute, Outcome outcome) {
        Instant at = START.plus(Duration.ofMinutes(minute));
        return TouchpointEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(at)
                .setReceivedAt(at).setSource("test").setCustomerId("c-1").setChannel(channel).setJourneyId("j-1")
                .setTouchpoint(step).setOutcome(outcome).setFrictionSignals(List.of()).build();
    }

    /** The repeated contacts among {@code found}, as "+1|-1 [observed] @time". */
    private static List<String> contacts(List<Found> found) {
        return found.stream().filter(count -> count.bucket().repeatedContacts() != 0)
                .map(count -> (count.bucket().repeatedContacts() > 0 ? "+1" : "-1")
                        + (count.observed() ? " observed" : "") + " @" + count.at())
                .toList();
    }

    private List<Found> visit(Channel channel, String step, int minute) {
        return history.touch(event(channel, step, minute, Outcome.COMPLETED), RETENTION, List.of());
    }

    /** The channel switches among {@code found}, as "touchpoint +1|-1 [observed]". */
    private static List<String> switches(List<Found> found) {
        return found.stream().filter(count -> count.bucket().channelSwitches() != 0)
                .map(count -> count.touchpoint() + " " + (count.bucket().channelSwitches() > 0 ? "+1" : "-1")
                        + (count.observed() ? " observed" : ""))
                .toList();
    }
}
