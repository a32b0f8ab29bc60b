package io.cxpulse.streams.ticket;

import static org.assertj.core.api.Assertions.assertThat;

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

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.junit.jupiter.api.Test;

class TicketLifecycleTest {
    private static final Duration GRACE = Duration.ofHours(1);
    private static final Map<TicketPriority, Duration> NO_TARGETS = Map.of();
    private static final RecordOrigin ORIGIN = new RecordOrigin("cx.ticket-events.v1", 0, 42, 7, new byte[] {1, 2});

    /** What a test says of a settled duration: its kind, length, time, and whether it supersedes one. */
    record Brief(Kind kind, Duration duration, Instant at, boolean supersedes) {
    }

    private static List<Brief> brief(List<Settled> settled) {
        return settled.stream().map(s -> new Brief(s.kind(), s.duration(), s.at(), s.supersedes())).toList();
    }

    /** The canonical ticket: opened 10:00, replied 10:30, resolved 12:00, reopened 13:00, resolved 15:00. */
    private static final List<TicketEvent> CANONICAL = List.of(
            event(TicketEventType.OPENED, "10:00"), event(TicketEventType.AGENT_REPLIED, "10:30"),
            event(TicketEventType.RESOLVED, "12:00"), event(TicketEventType.REOPENED, "13:00"),
            event(TicketEventType.RESOLVED, "15:00"));

    @Test
    void shouldGiveTheCanonicalTicketsDurations() {
        TicketLifecycle ticket = new TicketLifecycle();

        List<Settled> settled = run(ticket, CANONICAL);

        assertThat(brief(settled)).containsExactly(
                new Brief(Kind.FIRST_RESPONSE, Duration.ofMinutes(30), at("10:30"), false),
                new Brief(Kind.FIRST_RESOLUTION, Duration.ofHours(2), at("12:00"), false),
                new Brief(Kind.FULL_RESOLUTION, Duration.ofHours(5), at("15:00"), false));
        assertThat(ticket.reopenCount()).isEqualTo(1);
        assertThat(ticket.status()).isEqualTo(TicketEventType.RESOLVED);
        assertThat(ticket.oneTouch()).isFalse();
    }

    @Test
    void shouldGiveTheSameDurationsWhenEventsArriveOutOfOrderWithinGrace() {
        TicketLifecycle ticket = new TicketLifecycle();
        // the reply arrives before the OPENED it follows, and the first resolution after the reopening
        List<TicketEvent> arrival = List.of(CANONICAL.get(1), CANONICAL.get(0), CANONICAL.get(3), CANONICAL.get(2),
                CANONICAL.get(4));

        List<Settled> settled = run(ticket, arrival);

        assertThat(brief(settled)).containsExactlyInAnyOrder(
                new Brief(Kind.FIRST_RESPONSE, Duration.ofMinutes(30), at("10:30"), false),
                new Brief(Kind.FIRST_RESOLUTION, Duration.ofHours(2), at("12:00"), false),
                new Brief(Kind.FULL_RESOLUTION, Duration.ofHours(5), at("15:00"), false));
        assertThat(ticket.reopenCount()).isEqualTo(1);
    }

    @Test
    void shouldReportAFullResolutionAgainWhenTheTicketIsReopenedAfterItWasFinal() {
        TicketLifecycle ticket = new TicketLifecycle();
        ticket.apply(event(TicketEventType.OPENED, "10:00"), ORIGIN);
        ticket.apply(event(TicketEventType.RESOLVED, "11:00"), ORIGIN);
        List<Settled> first = ticket.settle(at("12:30"), GRACE, NO_TARGETS).settled();
        ticket.apply(event(TicketEventType.REOPENED, "13:00"), ORIGIN);
        ticket.apply(event(TicketEventType.RESOLVED, "14:00"), ORIGIN);
        List<Settled> second = ticket.settle(at("16:00"), GRACE, NO_TARGETS).settled();

        assertThat(brief(first)).containsExactly(
                new Brief(Kind.FIRST_RESOLUTION, Duration.ofHours(1), at("11:00"), false),
                new Brief(Kind.FULL_RESOLUTION, Duration.ofHours(1), at("11:00"), false));
        assertThat(brief(second)).containsExactly(
                new Brief(Kind.FULL_RESOLUTION, Duration.ofHours(4), at("14:00"), true));
    }

    @Test
    void shouldNotReportADurationThatAnEventWithinGraceCouldStillChange() {
        TicketLifecycle ticket = new TicketLifecycle();
        ticket.apply(event(TicketEventType.OPENED, "10:00"), ORIGIN);
        ticket.apply(event(TicketEventType.AGENT_REPLIED, "10:40"), ORIGIN);

        // at 11:30 a reply as early as 10:30 may still arrive
        assertThat(ticket.settle(at("11:30"), GRACE, NO_TARGETS).settled()).isEmpty();
        ticket.apply(event(TicketEventType.AGENT_REPLIED, "10:35"), ORIGIN);
        assertThat(ticket.settle(at("11:35"), GRACE, NO_TARGETS).settled()).isEmpty();
        assertThat(brief(ticket.settle(at("11:36"), GRACE, NO_TARGETS).settled()))
                .containsExactly(new Brief(Kind.FIRST_RESPONSE, Duration.ofMinutes(35), at("10:35"), false));
        assertThat(ticket.settle(at("20:00"), GRACE, NO_TARGETS).settled()).isEmpty();
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
    void shouldRefuseAResolutionOnAnUnknownTicketOnceGraceHasPassed() {
        TicketLifecycle ticket = new TicketLifecycle();
        TicketEvent orphan = event(TicketEventType.RESOLVED, "12:00");
        ticket.apply(orphan, ORIGIN);

        assertThat(ticket.settle(at("13:00"), GRACE, NO_TARGETS).refused()).isEmpty();
        List<Refused> refused = ticket.settle(at("13:01"), GRACE, NO_TARGETS).refused();

        assertThat(refused).extracting(Refused::event).containsExactly(orphan);
        assertThat(refused.get(0).reason()).contains("no OPENED event within the grace period");
        assertThat(ticket.waiting()).isZero();
    }

    @Test
    void shouldDeadLetterAWaitingEventWithTheCoordinatesItWasReadAt() {
        TicketLifecycleSerde serde = new TicketLifecycleSerde();
        TicketLifecycle ticket = new TicketLifecycle();
        RecordOrigin origin = new RecordOrigin("cx.ticket-events.v1", 3, 1234, 99, new byte[] {0, 0, 0, 0, 7, 9});
        ticket.apply(event(TicketEventType.RESOLVED, "12:00"), origin);

        TicketLifecycle restored = serde.deserializer().deserialize("t", serde.serializer().serialize("t", ticket));
        List<Refused> refused = restored.settle(at("13:01"), GRACE, NO_TARGETS).refused();

        assertThat(refused).extracting(Refused::origin).containsExactly(origin);
    }

    @Test
    void shouldCarryTheSupersededFullResolutionWithTheFacetsItWasCountedUnder() {
        TicketLifecycle ticket = new TicketLifecycle();
        ticket.apply(event(TicketEventType.OPENED, "10:00"), ORIGIN);
        ticket.apply(event(TicketEventType.AGENT_REPLIED, "10:10"), ORIGIN);
        ticket.apply(event(TicketEventType.RESOLVED, "11:00"), ORIGIN);
        ticket.settle(at("12:30"), GRACE, NO_TARGETS);
        TicketEvent reopened = event(TicketEventType.REOPENED, "13:00");
        reopened.setQueue("escalations");
        ticket.apply(reopened, ORIGIN);
        ticket.apply(event(TicketEventType.RESOLVED, "14:00"), ORIGIN);

        Settled full = ticket.settle(at("16:00"), GRACE, NO_TARGETS).settled().get(0);

        assertThat(full.facets()).isEqualTo(new TicketLifecycle.Facets(Channel.CHAT, TicketPriority.NORMAL,
                "escalations", true, false));
        assertThat(full.superseded().duration()).isEqualTo(Duration.ofHours(1));
        assertThat(full.superseded().at()).isEqualTo(at("11:00"));
        assertThat(full.superseded().facets()).isEqualTo(new TicketLifecycle.Facets(Channel.CHAT,
                TicketPriority.NORMAL, null, false, true));
    }

    @Test
    void shouldReportABreachOnceItIsFinalAndItsEndWhenTheTicketIsAnswered() {
        Map<TicketPriority, Duration> targets = Map.of(TicketPriority.NORMAL, Duration.ofMinutes(30));
        TicketLifecycle ticket = new TicketLifecycle();
        ticket.apply(event(TicketEventType.OPENED, "10:00"), ORIGIN);

        // the deadline is 10:30; until stream time passes 11:30, a reply at 10:30 or before may still arrive
        assertThat(ticket.settle(at("11:30"), GRACE, targets).breach()).isNull();
        assertThat(ticket.nextDue(GRACE, targets)).isEqualTo(at("11:30").toEpochMilli() + 1);
        TicketLifecycle.Breach breach = ticket.settle(at("11:31"), GRACE, targets).breach();
        assertThat(breach).isEqualTo(new TicketLifecycle.Breach(at("10:30"), Duration.ofMinutes(30), null));
        assertThat(ticket.settle(at("11:40"), GRACE, targets).breach()).isNull();

        ticket.apply(event(TicketEventType.AGENT_REPLIED, "11:45"), ORIGIN);
        assertThat(ticket.settle(at("11:45"), GRACE, targets).breach())
                .isEqualTo(new TicketLifecycle.Breach(at("10:30"), Duration.ofMinutes(30), at("11:45")));
        assertThat(ticket.settle(at("12:00"), GRACE, targets).breach()).isNull();
    }

    @Test
    void shouldNotReportABreachWhenAReplyWithinTheTargetArrivesLateWithinGrace() {
        Map<TicketPriority, Duration> targets = Map.of(TicketPriority.NORMAL, Duration.ofMinutes(30));
        TicketLifecycle ticket = new TicketLifecycle();
        ticket.apply(event(TicketEventType.OPENED, "10:00"), ORIGIN);
        assertThat(ticket.settle(at("11:00"), GRACE, targets).breach()).isNull();
        ticket.apply(event(TicketEventType.AGENT_REPLIED, "10:30"), ORIGIN);

        assertThat(ticket.settle(at("12:00"), GRACE, targets).breach()).isNull();
        assertThat(ticket.nextDue(GRACE, targets)).isEqualTo(Long.MAX_VALUE);
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

    @Provide
    Arbitrary<List<TicketEvent>> arrivalsWithinGrace() {
        return Arbitraries.shuffle(CANONICAL).filter(TicketLifecycleTest::withinGrace);
    }

    /** Every arrival order that the intake lets through gives the canonical durations. */
    @Property(tries = 200)
    void shouldNotDependOnArrivalOrderWithinGrace(@ForAll("arrivalsWithinGrace") List<TicketEvent> arrival) {
        List<Settled> settled = run(new TicketLifecycle(), arrival);

        assertThat(brief(settled)).containsExactlyInAnyOrder(
                new Brief(Kind.FIRST_RESPONSE, Duration.ofMinutes(30), at("10:30"), false),
                new Brief(Kind.FIRST_RESOLUTION, Duration.ofHours(2), at("12:00"), false),
                new Brief(Kind.FULL_RESOLUTION, Duration.ofHours(5), at("15:00"), false));
    }

    @Provide
    Arbitrary<List<TicketEvent>> randomTicketsArrivingWithinGrace() {
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
                .flatMap(Arbitraries::shuffle).filter(TicketLifecycleTest::withinGrace);
    }

    /** Random tickets in random orders within grace agree with durations computed from the sorted events. */
    @Property(tries = 500)
    void shouldAgreeWithDurationsComputedFromTheSortedEvents(
            @ForAll("randomTicketsArrivingWithinGrace") List<TicketEvent> arrival) {
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
        if (resolved) {
            assertThat(full).isNotEmpty();
            assertThat(full.get(full.size() - 1).duration()).isEqualTo(Duration.between(opened, lastResolved));
        }
        assertThat(full.stream().filter(s -> !s.supersedes())).hasSizeLessThanOrEqualTo(1);
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
            @ForAll("randomTicketsArrivingWithinGrace") List<TicketEvent> arrival,
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
            assertThat(restored.settle(streamTime, GRACE, NO_TARGETS))
                    .isEqualTo(kept.settle(streamTime, GRACE, NO_TARGETS));
        }
        restored = serde.deserializer().deserialize("t", serde.serializer().serialize("t", restored));
        assertThat(restored.settle(streamTime.plus(Duration.ofDays(1)), GRACE, NO_TARGETS))
                .isEqualTo(kept.settle(streamTime.plus(Duration.ofDays(1)), GRACE, NO_TARGETS));
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

    /** Whether no event is older than stream time minus grace when it arrives (what the intake would let in). */
    private static boolean withinGrace(List<TicketEvent> arrival) {
        Instant streamTime = Instant.MIN;
        for (TicketEvent event : arrival) {
            if (streamTime != Instant.MIN && event.getOccurredAt().isBefore(streamTime.minus(GRACE))) {
                return false;
            }
            streamTime = max(streamTime, event.getOccurredAt());
        }
        return true;
    }

    /** Applies each event, settling at the stream time after it, then settles a day later. */
    private static List<Settled> run(TicketLifecycle ticket, List<TicketEvent> arrival) {
        List<Settled> settled = new ArrayList<>();
        Instant streamTime = Instant.MIN;
        for (TicketEvent event : arrival) {
            assertThat(ticket.apply(event, ORIGIN)).isEmpty();
            streamTime = max(streamTime, event.getOccurredAt());
            settled.addAll(ticket.settle(streamTime, GRACE, NO_TARGETS).settled());
        }
        settled.addAll(ticket.settle(streamTime.plus(Duration.ofDays(1)), GRACE, NO_TARGETS).settled());
        return settled;
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
