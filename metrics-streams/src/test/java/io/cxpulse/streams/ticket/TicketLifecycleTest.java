package io.cxpulse.streams.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.cxpulse.avro.Channel;
import io.cxpulse.avro.TicketEvent;
import io.cxpulse.avro.TicketEventType;
import io.cxpulse.avro.TicketPriority;
import io.cxpulse.streams.intake.RecordOrigin;
import io.cxpulse.streams.ticket.TicketLifecycle.Kind;
import io.cxpulse.streams.ticket.TicketLifecycle.Refused;
import io.cxpulse.streams.ticket.TicketLifecycle.Settled;
import io.cxpulse.streams.ticket.TicketLifecycle.Settlement;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.junit.jupiter.api.Test;

class TicketLifecycleTest {
    private static final Duration HORIZON = Duration.ofDays(32);
    private static final Duration SLA_WAIT = Duration.ofMinutes(15);
    private static final Map<TicketPriority, Duration> NO_TARGETS = Map.of();
    private static final RecordOrigin ORIGIN = new RecordOrigin("cx.ticket-events.v1", 0, 42, 7, new byte[] {1, 2});

    /** What a test says of a reported duration: its kind, length and time. */
    record Brief(Kind kind, Duration duration, Instant at) {
    }

    private static List<Brief> brief(List<Settled> settled) {
        return settled.stream().map(s -> new Brief(s.kind(), s.duration(), s.at())).toList();
    }

    /** The canonical ticket: opened 10:00, replied 10:30, resolved 12:00, reopened 13:00, resolved 15:00. */
    private static final List<TicketEvent> CANONICAL = List.of(
            event(TicketEventType.OPENED, "10:00"), event(TicketEventType.AGENT_REPLIED, "10:30"),
            event(TicketEventType.RESOLVED, "12:00"), event(TicketEventType.REOPENED, "13:00"),
            event(TicketEventType.RESOLVED, "15:00"));

    private static final List<Brief> CANONICAL_FIGURES = List.of(
            new Brief(Kind.FIRST_RESPONSE, Duration.ofMinutes(30), at("10:30")),
            new Brief(Kind.FIRST_RESOLUTION, Duration.ofHours(2), at("12:00")),
            new Brief(Kind.FULL_RESOLUTION, Duration.ofHours(5), at("15:00")));

    @Test
    void shouldGiveTheCanonicalTicketsDurations() {
        TicketLifecycle ticket = new TicketLifecycle();

        List<Settled> figures = run(ticket, CANONICAL);

        assertThat(brief(figures)).containsExactlyInAnyOrderElementsOf(CANONICAL_FIGURES);
        assertThat(ticket.reopenCount()).isEqualTo(1);
        assertThat(ticket.status()).isEqualTo(TicketEventType.RESOLVED);
        assertThat(ticket.oneTouch()).isFalse();
    }

    @Test
    void shouldReportEachFigureAsSoonAsItsEventsAreThere() {
        TicketLifecycle ticket = new TicketLifecycle();
        ticket.apply(event(TicketEventType.OPENED, "10:00"), ORIGIN);
        assertThat(update(ticket, "10:00").settled()).isEmpty();
        ticket.apply(event(TicketEventType.AGENT_REPLIED, "10:30"), ORIGIN);

        // no waiting for a grace period: the reply's figure is out with the reply
        assertThat(brief(update(ticket, "10:30").settled()))
                .containsExactly(new Brief(Kind.FIRST_RESPONSE, Duration.ofMinutes(30), at("10:30")));
        assertThat(update(ticket, "10:31")).isEqualTo(new Settlement(List.of(), List.of(), List.of(), null));
    }

    @Test
    void shouldCorrectTheFirstResponseWhenAnEarlierReplyArrivesLate() {
        TicketLifecycle ticket = new TicketLifecycle();
        ticket.apply(event(TicketEventType.OPENED, "10:00"), ORIGIN);
        ticket.apply(event(TicketEventType.AGENT_REPLIED, "10:40"), ORIGIN);
        update(ticket, "10:40");

        // a reply at 10:35 arrives hours later, in the night's export
        ticket.apply(event(TicketEventType.AGENT_REPLIED, "10:35"), ORIGIN);
        Settlement corrected = update(ticket, "18:00");

        assertThat(brief(corrected.retracted()))
                .containsExactly(new Brief(Kind.FIRST_RESPONSE, Duration.ofMinutes(40), at("10:40")));
        assertThat(brief(corrected.settled()))
                .containsExactly(new Brief(Kind.FIRST_RESPONSE, Duration.ofMinutes(35), at("10:35")));
    }

    @Test
    void shouldTakeBackAResolutionWhenTheTicketIsReopenedAndReportItAgainWhenResolvedAgain() {
        TicketLifecycle ticket = new TicketLifecycle();
        ticket.apply(event(TicketEventType.OPENED, "10:00"), ORIGIN);
        ticket.apply(event(TicketEventType.RESOLVED, "11:00"), ORIGIN);
        assertThat(brief(update(ticket, "11:00").settled())).containsExactly(
                new Brief(Kind.FIRST_RESOLUTION, Duration.ofHours(1), at("11:00")),
                new Brief(Kind.FULL_RESOLUTION, Duration.ofHours(1), at("11:00")));

        // days after the resolution: the ticket is no longer resolved, so it no longer counts as such
        ticket.apply(event(TicketEventType.REOPENED, "13:00"), ORIGIN);
        Settlement reopened = update(ticket, "13:00");
        assertThat(brief(reopened.retracted()))
                .containsExactly(new Brief(Kind.FULL_RESOLUTION, Duration.ofHours(1), at("11:00")));
        assertThat(reopened.settled()).isEmpty();

        ticket.apply(event(TicketEventType.RESOLVED, "14:00"), ORIGIN);
        Settlement again = update(ticket, "14:00");
        assertThat(again.retracted()).isEmpty();
        assertThat(again.settled()).extracting(Settled::kind, Settled::duration, s -> s.facets().reopened())
                .containsExactly(tuple(Kind.FULL_RESOLUTION, Duration.ofHours(4), true));
    }

    @Test
    void shouldRefuseAReplyTimestampedBeforeTheOpening() {
        TicketLifecycle ticket = new TicketLifecycle();
        TicketEvent early = event(TicketEventType.AGENT_REPLIED, "09:59");
        ticket.apply(event(TicketEventType.OPENED, "10:00"), ORIGIN);

        List<Refused> refused = ticket.apply(early, ORIGIN);

        assertThat(refused).extracting(Refused::event).containsExactly(early);
        assertThat(refused.get(0).reason()).contains("before ticket t-1 was OPENED at 2026-11-20T10:00:00Z");
        assertThat(ticket.firstAgentReplyAt()).isNull();
    }

    @Test
    void shouldRefuseAWaitingReplyThatTheLateOpeningShowsToBeEarlier() {
        TicketLifecycle ticket = new TicketLifecycle();
        TicketEvent early = event(TicketEventType.AGENT_REPLIED, "09:59");
        assertThat(ticket.apply(early, ORIGIN)).isEmpty();

        List<Refused> refused = ticket.apply(event(TicketEventType.OPENED, "10:00"), ORIGIN);

        assertThat(refused).extracting(Refused::event).containsExactly(early);
        assertThat(ticket.waiting()).isZero();
    }

    @Test
    void shouldRefuseASecondOpening() {
        TicketLifecycle ticket = new TicketLifecycle();
        ticket.apply(event(TicketEventType.OPENED, "10:00"), ORIGIN);

        List<Refused> refused = ticket.apply(event(TicketEventType.OPENED, "10:05"), ORIGIN);

        assertThat(refused).hasSize(1);
        assertThat(refused.get(0).reason()).contains("already OPENED at 2026-11-20T10:00:00Z");
        assertThat(ticket.openedAt()).isEqualTo(at("10:00"));
    }

    @Test
    void shouldRefuseAResolutionOnAnUnknownTicketOnceTheHorizonHasPassed() {
        TicketLifecycle ticket = new TicketLifecycle();
        TicketEvent orphan = event(TicketEventType.RESOLVED, "12:00");
        ticket.apply(orphan, ORIGIN);

        assertThat(ticket.update(at("12:00").plus(HORIZON), HORIZON, SLA_WAIT, NO_TARGETS).refused()).isEmpty();
        assertThat(ticket.nextDue(HORIZON, SLA_WAIT, NO_TARGETS)).isEqualTo(at("12:00").plus(HORIZON)
                .toEpochMilli() + 1);
        List<Refused> refused = ticket.update(at("12:01").plus(HORIZON), HORIZON, SLA_WAIT, NO_TARGETS).refused();

        assertThat(refused).extracting(Refused::event).containsExactly(orphan);
        assertThat(refused.get(0).reason()).contains("no OPENED event within the lateness horizon");
        assertThat(ticket.waiting()).isZero();
    }

    @Test
    void shouldDeadLetterAWaitingEventWithTheCoordinatesItWasReadAt() {
        TicketLifecycleSerde serde = new TicketLifecycleSerde();
        TicketLifecycle ticket = new TicketLifecycle();
        RecordOrigin origin = new RecordOrigin("cx.ticket-events.v1", 3, 1234, 99, new byte[] {0, 0, 0, 0, 7, 9});
        ticket.apply(event(TicketEventType.RESOLVED, "12:00"), origin);

        TicketLifecycle restored = serde.deserializer().deserialize("t", serde.serializer().serialize("t", ticket));
        List<Refused> refused = restored.update(at("12:01").plus(HORIZON), HORIZON, SLA_WAIT, NO_TARGETS)
                .refused();

        assertThat(refused).extracting(Refused::origin).containsExactly(origin);
    }

    @Test
    void shouldMoveItsFiguresToTheTicketsLatestCellAndTakeThemBackFromTheOldOne() {
        TicketLifecycle ticket = new TicketLifecycle();
        ticket.apply(event(TicketEventType.OPENED, "10:00"), ORIGIN);
        ticket.apply(event(TicketEventType.AGENT_REPLIED, "10:10"), ORIGIN);
        ticket.apply(event(TicketEventType.RESOLVED, "11:00"), ORIGIN);
        update(ticket, "11:00");
        TicketEvent reopened = event(TicketEventType.REOPENED, "13:00");
        reopened.setQueue("escalations");
        ticket.apply(reopened, ORIGIN);
        ticket.apply(event(TicketEventType.RESOLVED, "14:00"), ORIGIN);

        Settlement moved = update(ticket, "14:00");

        TicketLifecycle.Facets before = new TicketLifecycle.Facets(Channel.CHAT, TicketPriority.NORMAL, null,
                false, false);
        TicketLifecycle.Facets after = new TicketLifecycle.Facets(Channel.CHAT, TicketPriority.NORMAL,
                "escalations", false, false);
        assertThat(moved.retracted()).containsExactlyInAnyOrder(
                new Settled(Kind.FIRST_RESPONSE, Duration.ofMinutes(10), at("10:10"), before),
                new Settled(Kind.FIRST_RESOLUTION, Duration.ofHours(1), at("11:00"), before),
                new Settled(Kind.FULL_RESOLUTION, Duration.ofHours(1), at("11:00"),
                        new TicketLifecycle.Facets(Channel.CHAT, TicketPriority.NORMAL, null, false, true)));
        assertThat(moved.settled()).containsExactlyInAnyOrder(
                new Settled(Kind.FIRST_RESPONSE, Duration.ofMinutes(10), at("10:10"), after),
                new Settled(Kind.FIRST_RESOLUTION, Duration.ofHours(1), at("11:00"), after),
                new Settled(Kind.FULL_RESOLUTION, Duration.ofHours(4), at("14:00"),
                        new TicketLifecycle.Facets(Channel.CHAT, TicketPriority.NORMAL, "escalations", true, false)));
    }

    @Test
    void shouldReportABreachOnceTheSlaWaitHasPassedAndItsEndWhenTheTicketIsAnswered() {
        Map<TicketPriority, Duration> targets = Map.of(TicketPriority.NORMAL, Duration.ofMinutes(30));
        TicketLifecycle ticket = new TicketLifecycle();
        ticket.apply(event(TicketEventType.OPENED, "10:00"), ORIGIN);

        // the deadline is 10:30; until the ticket events pass 10:45, a late reply at 10:30 or before may arrive
        assertThat(ticket.update(at("10:45"), HORIZON, SLA_WAIT, targets).breach()).isNull();
        assertThat(ticket.nextDue(HORIZON, SLA_WAIT, targets)).isEqualTo(at("10:45").toEpochMilli() + 1);
        TicketLifecycle.Breach breach = ticket.update(at("10:46"), HORIZON, SLA_WAIT, targets).breach();
        assertThat(breach).isEqualTo(new TicketLifecycle.Breach(at("10:30"), Duration.ofMinutes(30), null));
        assertThat(ticket.update(at("11:40"), HORIZON, SLA_WAIT, targets).breach()).isNull();

        ticket.apply(event(TicketEventType.AGENT_REPLIED, "11:45"), ORIGIN);
        assertThat(ticket.update(at("11:45"), HORIZON, SLA_WAIT, targets).breach())
                .isEqualTo(new TicketLifecycle.Breach(at("10:30"), Duration.ofMinutes(30), at("11:45")));
        assertThat(ticket.update(at("12:00"), HORIZON, SLA_WAIT, targets).breach()).isNull();
    }

    @Test
    void shouldNotReportABreachWhenAReplyWithinTheTargetArrivesWithinTheSlaWait() {
        Map<TicketPriority, Duration> targets = Map.of(TicketPriority.NORMAL, Duration.ofMinutes(30));
        TicketLifecycle ticket = new TicketLifecycle();
        ticket.apply(event(TicketEventType.OPENED, "10:00"), ORIGIN);
        assertThat(ticket.update(at("10:40"), HORIZON, SLA_WAIT, targets).breach()).isNull();
        ticket.apply(event(TicketEventType.AGENT_REPLIED, "10:30"), ORIGIN);

        assertThat(ticket.update(at("12:00"), HORIZON, SLA_WAIT, targets).breach()).isNull();
        assertThat(ticket.nextDue(HORIZON, SLA_WAIT, targets)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldCountAOneTouchResolution() {
        TicketLifecycle ticket = new TicketLifecycle();
        ticket.apply(event(TicketEventType.OPENED, "10:00"), ORIGIN);
        assertThat(ticket.awaitingFirstResponse()).isTrue();
        ticket.apply(event(TicketEventType.AGENT_REPLIED, "10:10"), ORIGIN);
        ticket.apply(event(TicketEventType.RESOLVED, "10:20"), ORIGIN);

        assertThat(ticket.awaitingFirstResponse()).isFalse();
        assertThat(ticket.oneTouch()).isTrue();
    }

    @Test
    void shouldKeepTheLatestEventsAttributes() {
        TicketLifecycle ticket = new TicketLifecycle();
        ticket.apply(event(TicketEventType.OPENED, "10:00"), ORIGIN);
        TicketEvent escalated = event(TicketEventType.CUSTOMER_REPLIED, "11:00");
        escalated.setPriority(TicketPriority.URGENT);
        escalated.setQueue("escalations");
        TicketEvent olderLate = event(TicketEventType.AGENT_REPLIED, "10:30");
        olderLate.setPriority(TicketPriority.LOW);
        ticket.apply(escalated, ORIGIN);
        ticket.apply(olderLate, ORIGIN);

        assertThat(ticket.priority()).isEqualTo(TicketPriority.URGENT);
        assertThat(ticket.queue()).isEqualTo("escalations");
        assertThat(ticket.status()).isEqualTo(TicketEventType.CUSTOMER_REPLIED);
        assertThat(ticket.channel()).isEqualTo(Channel.CHAT);
    }

    /** Every arrival order gives the canonical figures, once the retractions are taken out. */
    @Property(tries = 200)
    void shouldNotDependOnArrivalOrder(@ForAll("anyArrival") List<TicketEvent> arrival) {
        assertThat(brief(run(new TicketLifecycle(), arrival))).containsExactlyInAnyOrderElementsOf(CANONICAL_FIGURES);
    }

    @Provide
    Arbitrary<List<TicketEvent>> anyArrival() {
        return Arbitraries.shuffle(CANONICAL);
    }

    @Provide
    Arbitrary<List<TicketEvent>> randomTickets() {
        Arbitrary<TicketEvent> later = Arbitraries.of(TicketEventType.AGENT_REPLIED, TicketEventType.RESOLVED,
                        TicketEventType.REOPENED, TicketEventType.CUSTOMER_REPLIED)
                .flatMap(type -> Arbitraries.integers().between(0, 180).map(minutes -> event(type,
                        at("10:00").plus(Duration.ofMinutes(minutes)))));
        return later.list().ofMinSize(1).ofMaxSize(8)
                .map(events -> {
                    List<TicketEvent> all = new ArrayList<>(events);
                    all.add(event(TicketEventType.OPENED, at("10:00")));
                    return all;
                })
                .flatMap(Arbitraries::shuffle);
    }

    /**
     * Random tickets in random orders agree, once the retractions are taken out, with the figures computed from the
     * sorted events, and never take back what they did not report.
     */
    @Property(tries = 500)
    void shouldAgreeWithDurationsComputedFromTheSortedEvents(@ForAll("randomTickets") List<TicketEvent> arrival) {
        Instant opened = at("10:00");
        Instant firstReply = earliest(arrival, TicketEventType.AGENT_REPLIED);
        Instant firstResolved = earliest(arrival, TicketEventType.RESOLVED);
        Instant lastResolved = latest(arrival, TicketEventType.RESOLVED);
        Instant lastReopened = latest(arrival, TicketEventType.REOPENED);

        TicketLifecycle ticket = new TicketLifecycle();
        List<Settled> settled = run(ticket, arrival);

        assertThat(settled.stream().filter(s -> s.kind() == Kind.FIRST_RESPONSE).map(Settled::duration))
                .containsExactlyElementsOf(firstReply == null ? List.of()
                        : List.of(Duration.between(opened, firstReply)));
        assertThat(settled.stream().filter(s -> s.kind() == Kind.FIRST_RESOLUTION).map(Settled::duration))
                .containsExactlyElementsOf(firstResolved == null ? List.of()
                        : List.of(Duration.between(opened, firstResolved)));
        List<Settled> full = settled.stream().filter(s -> s.kind() == Kind.FULL_RESOLUTION).toList();
        boolean resolved = lastResolved != null && (lastReopened == null || lastReopened.isBefore(lastResolved));
        assertThat(full.stream().map(Settled::duration)).containsExactlyElementsOf(resolved
                ? List.of(Duration.between(opened, lastResolved)) : List.of());
        assertThat(ticket.reopenCount())
                .isEqualTo((int) arrival.stream().filter(e -> e.getType() == TicketEventType.REOPENED).count());
    }

    private static Instant earliest(List<TicketEvent> events, TicketEventType type) {
        return events.stream().filter(e -> e.getType() == type).map(TicketEvent::getOccurredAt).min(Instant::compareTo)
                .orElse(null);
    }

    private static Instant latest(List<TicketEvent> events, TicketEventType type) {
        return events.stream().filter(e -> e.getType() == type).map(TicketEvent::getOccurredAt).max(Instant::compareTo)
                .orElse(null);
    }

    /**
     * A ticket written to its store form and read back at any point of its life goes on exactly as the one that
     * stayed in memory: same refusals, same settlements, same attributes.
     */
    @Property(tries = 300)
    void shouldGoOnUnchangedAfterARoundTripThroughItsStoreForm(
            @ForAll("randomTickets") List<TicketEvent> arrival,
            @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 9) int cut) {
        TicketLifecycleSerde serde = new TicketLifecycleSerde();
        TicketLifecycle kept = new TicketLifecycle();
        TicketLifecycle restored = new TicketLifecycle();
        Instant streamTime = Instant.MIN;
        for (int i = 0; i < arrival.size(); i++) {
            if (i == Math.min(cut, arrival.size() - 1)) {
                restored = serde.deserializer().deserialize("t", serde.serializer().serialize("t", restored));
            }
            TicketEvent event = arrival.get(i);
            RecordOrigin origin = new RecordOrigin("cx.ticket-events.v1", i % 3, 100 + i, 1_000 + i,
                    event.getEventId().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(restored.apply(event, origin)).isEqualTo(kept.apply(event, origin));
            streamTime = max(streamTime, event.getOccurredAt());
            assertThat(restored.update(streamTime, HORIZON, SLA_WAIT, NO_TARGETS))
                    .isEqualTo(kept.update(streamTime, HORIZON, SLA_WAIT, NO_TARGETS));
        }
        restored = serde.deserializer().deserialize("t", serde.serializer().serialize("t", restored));
        assertThat(restored.update(streamTime.plus(Duration.ofDays(40)), HORIZON, SLA_WAIT, NO_TARGETS))
                .isEqualTo(kept.update(streamTime.plus(Duration.ofDays(40)), HORIZON, SLA_WAIT, NO_TARGETS));
        assertThat(List.of(restored.reopenCount(), restored.waiting(), String.valueOf(restored.status()),
                String.valueOf(restored.priority()), String.valueOf(restored.channel()),
                String.valueOf(restored.queue())))
                .isEqualTo(List.of(kept.reopenCount(), kept.waiting(), String.valueOf(kept.status()),
                        String.valueOf(kept.priority()), String.valueOf(kept.channel()), String.valueOf(kept.queue())));
    }

    @Test
    void shouldKeepWaitingEventsThroughTheStoreForm() {
        TicketLifecycleSerde serde = new TicketLifecycleSerde();
        TicketLifecycle ticket = new TicketLifecycle();
        TicketEvent reply = event(TicketEventType.AGENT_REPLIED, "10:30");
        reply.setQueue("billing");
        ticket.apply(reply, ORIGIN);

        TicketLifecycle restored = serde.deserializer().deserialize("t", serde.serializer().serialize("t", ticket));
        restored.apply(event(TicketEventType.OPENED, "10:00"), ORIGIN);

        assertThat(restored.waiting()).isZero();
        assertThat(restored.firstAgentReplyAt()).isEqualTo(at("10:30"));
        assertThat(restored.queue()).isEqualTo("billing");
    }

    @Test
    void shouldRefuseBytesThatAreNotATicketState() {
        TicketLifecycleSerde serde = new TicketLifecycleSerde();

        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> serde.deserializer().deserialize("t", new byte[] {9, 1, 2}))
                .isInstanceOf(org.apache.kafka.common.errors.SerializationException.class)
                .hasMessageContaining("not a ticket state");
    }

    /**
     * Applies each event and updates at the latest event time after it, then a day later; returns the figures that
     * stand: every one reported, less every one taken back (which must have been reported).
     */
    private static List<Settled> run(TicketLifecycle ticket, List<TicketEvent> arrival) {
        List<Settled> standing = new ArrayList<>();
        Instant progress = Instant.MIN;
        for (TicketEvent event : arrival) {
            assertThat(ticket.apply(event, ORIGIN)).isEmpty();
            progress = max(progress, event.getOccurredAt());
            take(standing, ticket.update(progress, HORIZON, SLA_WAIT, NO_TARGETS));
        }
        take(standing, ticket.update(progress.plus(Duration.ofDays(1)), HORIZON, SLA_WAIT, NO_TARGETS));
        return standing;
    }

    private static void take(List<Settled> standing, Settlement settlement) {
        for (Settled retracted : settlement.retracted()) {
            assertThat(standing.remove(retracted)).as("takes back only what it reported").isTrue();
        }
        standing.addAll(settlement.settled());
    }

    private static Settlement update(TicketLifecycle ticket, String progress) {
        return ticket.update(at(progress), HORIZON, SLA_WAIT, NO_TARGETS);
    }

    private static Instant max(Instant a, Instant b) {
        return b.isAfter(a) ? b : a;
    }

    private static Instant at(String time) {
        return Instant.parse("2026-11-20T" + time + ":00Z");
    }

    private static TicketEvent event(TicketEventType type, String time) {
        return event(type, at(time));
    }

    private static TicketEvent event(TicketEventType type, Instant at) {
        return TicketEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(at)
                .setReceivedAt(at).setSource("test").setCustomerId("c-1").setTicketId("t-1").setType(type)
                .setPriority(TicketPriority.NORMAL).setChannel(Channel.CHAT).build();
    }
}
