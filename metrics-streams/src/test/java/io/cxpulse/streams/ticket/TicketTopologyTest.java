package io.cxpulse.streams.ticket;

import static io.cxpulse.streams.ticket.TicketDriver.at;
import static io.cxpulse.streams.ticket.TicketDriver.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.cxpulse.avro.AlertKind;
import io.cxpulse.avro.AlertState;
import io.cxpulse.avro.Channel;
import io.cxpulse.avro.CxAlert;
import io.cxpulse.avro.DeadLetter;
import io.cxpulse.avro.DeadLetterReason;
import io.cxpulse.avro.DurationFigures;
import io.cxpulse.avro.TicketAggregate;
import io.cxpulse.avro.TicketEvent;
import io.cxpulse.avro.TicketEventType;
import io.cxpulse.avro.TicketPriority;
import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.platform.junit.LocalPlatformExtension;
import io.cxpulse.schemas.contract.CxTopic;
import io.cxpulse.streams.window.DurationSketch;
import io.cxpulse.streams.window.RollingWindow;

import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The ticket topology, hand-computed cases, in a TopologyTestDriver. */
@ExtendWith(LocalPlatformExtension.class)
class TicketTopologyTest {
    /** The canonical ticket: opened 10:00, replied 10:30, resolved 12:00, reopened 13:00, resolved 15:00. */
    private static final List<TicketEvent> CANONICAL = List.of(
            event("t-1", TicketEventType.OPENED, "10:00"), event("t-1", TicketEventType.AGENT_REPLIED, "10:30"),
            event("t-1", TicketEventType.RESOLVED, "12:00"), event("t-1", TicketEventType.REOPENED, "13:00"),
            event("t-1", TicketEventType.RESOLVED, "15:00"));

    @Test
    void shouldGiveTheCanonicalTicketsDurationsInItsWindow(LocalPlatform platform) {
        try (TicketDriver tickets = new TicketDriver(platform, TicketSettings.defaults())) {
            tickets.send(CANONICAL);
            tickets.streamTimeTo(at("16:01"));

            TicketBucket day = tickets.window(RollingWindow.DAY_1, at("16:01"));

            assertThat(day.firstResponse().count()).isEqualTo(1);
            assertThat(day.firstResponse().quantileSeconds(0.5)).isCloseTo(30 * 60, withinPercentage(1));
            assertThat(day.firstResolution().count()).isEqualTo(1);
            assertThat(day.firstResolution().quantileSeconds(0.5)).isCloseTo(2 * 3600, withinPercentage(1));
            assertThat(day.fullResolution().count()).isEqualTo(1);
            assertThat(day.fullResolution().quantileSeconds(0.5)).isCloseTo(5 * 3600, withinPercentage(1));
            assertThat(List.of(day.resolved(), day.reopened(), day.oneTouch())).containsExactly(1L, 1L, 0L);
            assertThat(tickets.deadLetters()).isEmpty();

            // the same figures on cx.ticket-aggregates.v1, for the 24h window ending at stream time
            TicketAggregate aggregate = tickets.aggregates().get("CHAT|NORMAL|=billing|24h");
            assertThat(List.<Object>of(aggregate.getChannel(), aggregate.getPriority(), aggregate.getQueue(),
                    aggregate.getWindow())).containsExactly(Channel.CHAT, TicketPriority.NORMAL, "billing", "24h");
            assertThat(aggregate.getWindowEnd())
                    .isEqualTo(Instant.ofEpochMilli(RollingWindow.DAY_1.end(at("16:01").toEpochMilli())));
            assertThat(List.of(aggregate.getFirstResponse().getN(), aggregate.getFirstResolution().getN(),
                    aggregate.getFullResolution().getN())).containsExactly(1L, 1L, 1L);
            assertThat(aggregate.getFirstResponse().getP50()).isCloseTo(30 * 60, withinPercentage(1));
            assertThat(aggregate.getFirstResolution().getP99()).isCloseTo(2 * 3600, withinPercentage(1));
            assertThat(aggregate.getFullResolution().getP90()).isCloseTo(5 * 3600, withinPercentage(1));
            assertThat(List.of(aggregate.getResolved(), aggregate.getReopened(), aggregate.getOneTouch()))
                    .containsExactly(1L, 1L, 0L);
            assertThat(List.of(aggregate.getReopenRate(), aggregate.getOneTouchRate())).containsExactly(1.0, 0.0);
            // no durations, no quantiles
            assertThat(DurationSketch.empty().figures())
                    .isEqualTo(new DurationFigures(0L, null, null, null));
        }
    }

    @Test
    void shouldGiveTheSameDurationsWhenTheEventsArriveOutOfOrder(LocalPlatform platform) {
        try (TicketDriver tickets = new TicketDriver(platform, TicketSettings.defaults())) {
            // the reply before the OPENED it follows, the first resolution after the reopening
            tickets.send(List.of(CANONICAL.get(1), CANONICAL.get(0), CANONICAL.get(3), CANONICAL.get(2),
                    CANONICAL.get(4)));
            tickets.streamTimeTo(at("16:01"));

            TicketBucket day = tickets.window(RollingWindow.DAY_1, at("16:01"));

            assertThat(day.firstResponse().quantileSeconds(0.5)).isCloseTo(30 * 60, withinPercentage(1));
            assertThat(day.firstResolution().quantileSeconds(0.5)).isCloseTo(2 * 3600, withinPercentage(1));
            assertThat(day.fullResolution().count()).isEqualTo(1);
            assertThat(day.fullResolution().quantileSeconds(0.5)).isCloseTo(5 * 3600, withinPercentage(1));
            assertThat(tickets.deadLetters()).isEmpty();
        }
    }

    @Test
    void shouldTakeAResolutionBackWhenTheTicketIsReopenedAndCountItAgainWhenResolvedAgain(LocalPlatform platform) {
        try (TicketDriver tickets = new TicketDriver(platform, TicketSettings.defaults())) {
            tickets.send(CANONICAL.subList(0, 3));
            tickets.tick();
            // out within seconds: the full resolution is 2h, in the 12:00 hour
            TicketBucket before = tickets.window(RollingWindow.DAY_1, at("12:00"));
            assertThat(before.fullResolution().quantileSeconds(0.5)).isCloseTo(2 * 3600, withinPercentage(1));
            assertThat(List.of(before.resolved(), before.reopened(), before.oneTouch())).containsExactly(1L, 0L, 1L);

            // reopened: no longer resolved, so no longer counted as resolved (nor as resolved in one touch)
            tickets.send(CANONICAL.get(3));
            tickets.tick();
            TicketBucket reopened = tickets.window(RollingWindow.DAY_1, at("13:00"));
            assertThat(List.of(reopened.resolved(), reopened.reopened(), reopened.oneTouch()))
                    .containsExactly(0L, 0L, 0L);
            assertThat(reopened.fullResolution().count()).isZero();

            tickets.send(CANONICAL.get(4));
            tickets.tick();
            TicketBucket after = tickets.window(RollingWindow.DAY_1, at("15:00"));
            TicketBucket hourOfTheFirst = tickets.window(RollingWindow.HOUR_1, at("12:59"));

            assertThat(after.fullResolution().count()).isEqualTo(1);
            assertThat(after.fullResolution().quantileSeconds(0.5)).isCloseTo(5 * 3600, withinPercentage(1));
            assertThat(List.of(after.resolved(), after.reopened(), after.oneTouch())).containsExactly(1L, 1L, 0L);
            assertThat(hourOfTheFirst.fullResolution().count()).isZero();
            assertThat(hourOfTheFirst.resolved()).isZero();
            assertThat(tickets.observer.retracted).extracting(TicketLifecycle.Settled::kind)
                    .containsExactly(TicketLifecycle.Kind.FULL_RESOLUTION);
            TicketAggregate aggregate = tickets.aggregates().get("CHAT|NORMAL|=billing|24h");
            assertThat(aggregate.getFullResolution().getN()).isEqualTo(1);
            assertThat(aggregate.getFullResolution().getP50()).isCloseTo(5 * 3600, withinPercentage(1));
        }
    }

    @Test
    void shouldCountANightlyExportOfWholeLifecyclesHoursLateAndOutOfOrderWithinSeconds(LocalPlatform platform) {
        try (TicketDriver tickets = new TicketDriver(platform, TicketSettings.defaults())) {
            // live tickets until 20:00
            for (int i = 0; i < 10; i++) {
                Instant opened = at("19:00").plus(Duration.ofMinutes(5L * i));
                tickets.send(event("live-" + i, TicketEventType.OPENED, opened).setQueue("live").build());
                tickets.send(event("live-" + i, TicketEventType.AGENT_REPLIED, opened.plus(Duration.ofMinutes(2)))
                        .setQueue("live").build());
            }
            // at 20:00 the helpdesk's export of 10:00-14:00 arrives, 6 to 10 hours late, newest first: ticket n is
            // opened at 10:00 + 20n minutes, replied 10n minutes later, resolved an hour after opening
            Instant received = at("20:00");
            List<TicketEvent> export = new ArrayList<>();
            for (int n = 0; n < 12; n++) {
                Instant opened = at("10:00").plus(Duration.ofMinutes(20L * n));
                export.add(event("x-" + n, TicketEventType.OPENED, opened).setReceivedAt(received).build());
                export.add(event("x-" + n, TicketEventType.AGENT_REPLIED, opened.plus(Duration.ofMinutes(10L * n)))
                        .setReceivedAt(received).build());
                export.add(event("x-" + n, TicketEventType.RESOLVED, opened.plus(Duration.ofHours(1)))
                        .setReceivedAt(received).build());
            }
            java.util.Collections.reverse(export);
            tickets.send(export);
            tickets.tick();

            // the export's figures, in the hours they happened: replies of 0, 10, ..., 110 minutes (12 tickets)
            TicketBucket day = tickets.window(RollingWindow.DAY_1, at("20:00"));
            // 10 live first responses and 12 exported ones; only the exported tickets are resolved
            assertThat(day.firstResponse().count()).isEqualTo(22);
            assertThat(day.fullResolution().count()).isEqualTo(12);
            assertThat(List.of(day.resolved(), day.oneTouch())).containsExactly(12L, 12L);
            // the hour 10:00-11:00 alone: tickets 0-2 replied at 10:00, 10:30, 11:00 -> the first two
            TicketBucket ten = tickets.window(RollingWindow.HOUR_1, at("10:59"));
            assertThat(ten.firstResponse().count()).isEqualTo(2);
            assertThat(ten.firstResponse().quantileSeconds(1.0)).isCloseTo(10 * 60, withinPercentage(1));
            // 15:00-16:00: ticket 10 (opened 13:20, replied 15:00) and ticket 11 (opened 13:40, replied 15:30),
            // both replied after their resolution
            TicketBucket three = tickets.window(RollingWindow.HOUR_1, at("15:59"));
            assertThat(three.firstResponse().count()).isEqualTo(2);
            assertThat(three.firstResponse().quantileSeconds(0.0)).isCloseTo(100 * 60, withinPercentage(1));
            assertThat(three.firstResponse().quantileSeconds(1.0)).isCloseTo(110 * 60, withinPercentage(1));
            assertThat(tickets.deadLetters()).isEmpty();
        }
    }

    @Test
    void shouldDeadLetterAReplyTimestampedBeforeItsTicketWasOpened(LocalPlatform platform) {
        try (TicketDriver tickets = new TicketDriver(platform, TicketSettings.defaults())) {
            TicketEvent early = event("t-2", TicketEventType.AGENT_REPLIED, "09:59");
            tickets.send(event("t-2", TicketEventType.OPENED, "10:00"));
            tickets.send(early);

            List<TestRecord<String, DeadLetter>> dead = tickets.deadLetters();

            assertThat(dead).hasSize(1);
            DeadLetter letter = dead.get(0).value();
            assertThat(dead.get(0).key()).isEqualTo("t-2");
            assertThat(letter.getReason()).isEqualTo(DeadLetterReason.IMPOSSIBLE_SEQUENCE);
            assertThat(letter.getCause()).contains("timestamped before ticket t-2 was OPENED");
            assertThat(letter.getOriginalTopic()).isEqualTo(CxTopic.TICKET_EVENTS.defaultName());
            assertThat(letter.getOriginalOffset()).isEqualTo(1);
            assertThat(letter.getOriginalTimestamp()).isEqualTo(early.getReceivedAt());
            assertThat(letter.getValue()).isEqualTo(ByteBuffer.wrap(tickets.bytes(early)));
            assertThat(letter.getProcessor()).isEqualTo("ticket-lifecycle");
            assertThat(tickets.observer.deadLettered).containsEntry(DeadLetterReason.IMPOSSIBLE_SEQUENCE, 1);
        }
    }

    @Test
    void shouldDeadLetterAResolutionOnAnUnknownTicketOnceTheHorizonHasPassed(LocalPlatform platform) {
        try (TicketDriver tickets = new TicketDriver(platform, TicketSettings.defaults())) {
            TicketEvent orphan = event("t-3", TicketEventType.RESOLVED, "12:00");
            tickets.send(orphan);
            Instant horizon = at("12:00").plus(Duration.ofDays(32)).plus(Duration.ofMinutes(5));
            tickets.streamTimeTo(horizon);
            assertThat(tickets.deadLetters()).isEmpty();

            tickets.streamTimeTo(horizon.plusSeconds(60));
            List<TestRecord<String, DeadLetter>> dead = tickets.deadLetters();

            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).value().getCause()).contains("RESOLVED on ticket t-3, which has no OPENED event");
            assertThat(dead.get(0).value().getOriginalOffset()).isZero();
            assertThat(dead.get(0).value().getValue()).isEqualTo(ByteBuffer.wrap(tickets.bytes(orphan)));
        }
    }

    @Test
    void shouldDeadLetterATicketEventKeyedByAnythingButItsTicketId(LocalPlatform platform) {
        try (TicketDriver tickets = new TicketDriver(platform, TicketSettings.defaults())) {
            TicketEvent opened = event("t-4", TicketEventType.OPENED, "10:00");
            tickets.send(opened.getCustomerId(), opened);

            List<TestRecord<String, DeadLetter>> dead = tickets.deadLetters();

            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).value().getReason()).isEqualTo(DeadLetterReason.CONTRACT_VIOLATION);
            assertThat(dead.get(0).value().getCause()).contains("'c-t-4' is not the ticketId 't-4'");
            assertThat(dead.get(0).value().getKey()).isEqualTo(ByteBuffer.wrap("c-t-4".getBytes(
                    StandardCharsets.UTF_8)));
        }
    }

    @Test
    void shouldCountADuplicateEventOnce(LocalPlatform platform) {
        try (TicketDriver tickets = new TicketDriver(platform, TicketSettings.defaults())) {
            TicketEvent reply = CANONICAL.get(1);
            tickets.send(CANONICAL.get(0));
            tickets.send(reply);
            tickets.send(reply);
            tickets.send(event("t-1", TicketEventType.AGENT_REPLIED, "10:45"));
            tickets.streamTimeTo(at("12:00"));

            TicketBucket day = tickets.window(RollingWindow.DAY_1, at("12:00"));

            assertThat(tickets.observer.duplicates).isEqualTo(1);
            assertThat(day.firstResponse().count()).isEqualTo(1);
            assertThat(day.firstResponse().quantileSeconds(0.5)).isCloseTo(30 * 60, withinPercentage(1));
        }
    }

    @Test
    void shouldCountTheBacklogAwaitingAFirstReplyByPriorityAndAge(LocalPlatform platform) {
        try (TicketDriver tickets = new TicketDriver(platform, TicketSettings.defaults())) {
            tickets.send(event("b-1", TicketEventType.OPENED, at("10:00")).setPriority(TicketPriority.HIGH).build());
            tickets.send(event("b-2", TicketEventType.OPENED, at("11:50")).setPriority(TicketPriority.HIGH).build());
            tickets.send(event("b-3", TicketEventType.OPENED, at("11:55")).build());
            tickets.send(event("b-4", TicketEventType.OPENED, at("11:00")).build());
            tickets.send(event("b-4", TicketEventType.AGENT_REPLIED, at("11:10")).build());
            tickets.send(event("b-5", TicketEventType.OPENED, at("08:00")).build());
            tickets.send(event("b-5", TicketEventType.RESOLVED, at("09:00")).build());
            tickets.streamTimeTo(at("12:00"));

            TicketDriver.Recorder seen = tickets.observer;
            assertThat(seen.backlog(TicketPriority.HIGH, BacklogAge.UNDER_15M)).isEqualTo(1);
            assertThat(seen.backlog(TicketPriority.HIGH, BacklogAge.UNDER_4H)).isEqualTo(1);
            assertThat(seen.backlog(TicketPriority.NORMAL, BacklogAge.UNDER_15M)).isEqualTo(1);
            long normal = 0;
            for (BacklogAge age : BacklogAge.values()) {
                normal += seen.backlog(TicketPriority.NORMAL, age);
            }
            assertThat(normal).isEqualTo(1);

            tickets.send(event("b-2", TicketEventType.AGENT_REPLIED, at("12:01")).setPriority(TicketPriority.HIGH)
                    .build());
            tickets.tick();
            assertThat(seen.backlog(TicketPriority.HIGH, BacklogAge.UNDER_15M)).isZero();
        }
    }

    @Test
    void shouldAlertOnceWhenAFirstResponseTargetIsBreachedAndResolveWhenAnswered(LocalPlatform platform) {
        try (TicketDriver tickets = new TicketDriver(platform, TicketSettings.defaults())) {
            // URGENT's target is 15 minutes: the deadline is 10:15, a breach once ticket events pass 10:30
            tickets.send(event("s-1", TicketEventType.OPENED, at("10:00")).setPriority(TicketPriority.URGENT).build());
            tickets.send(event("s-2", TicketEventType.OPENED, at("10:00")).setPriority(TicketPriority.URGENT).build());
            tickets.send(event("s-2", TicketEventType.AGENT_REPLIED, at("10:14")).setPriority(TicketPriority.URGENT)
                    .build());
            tickets.streamTimeTo(at("10:30"));
            assertThat(tickets.alerts()).isEmpty();

            tickets.streamTimeTo(at("10:31"));
            tickets.streamTimeTo(at("10:40"));
            List<CxAlert> opened = tickets.alerts();

            assertThat(opened).hasSize(1);
            CxAlert alert = opened.get(0);
            assertThat(alert.getKind()).isEqualTo(AlertKind.FIRST_RESPONSE_SLA);
            assertThat(alert.getState()).isEqualTo(AlertState.OPENED);
            assertThat(alert.getDimension()).containsEntry("ticketId", "s-1").containsEntry("priority", "URGENT");
            assertThat(alert.getBaseline()).isEqualTo(900.0);
            assertThat(alert.getWindowEnd()).isEqualTo(at("10:15"));
            assertThat(tickets.observer.breaches).containsExactly(TicketPriority.URGENT);

            tickets.send(event("s-1", TicketEventType.AGENT_REPLIED, at("11:40")).setPriority(TicketPriority.URGENT)
                    .build());
            List<CxAlert> resolved = tickets.alerts();
            assertThat(resolved).extracting(CxAlert::getState).containsExactly(AlertState.RESOLVED);
            assertThat(resolved.get(0).getAlertId()).isEqualTo(alert.getAlertId());
            assertThat(resolved.get(0).getObserved()).isCloseTo(100 * 60.0, within(0.001));
        }
    }

    @Test
    void shouldForgetATicketOnceItsRetentionHasPassed(LocalPlatform platform) {
        // a lateness horizon of 2h05m, so that two days' retention is long enough
        TicketSettings settings = TicketSettings.with(Map.of("ticket.retention", "P2D", "ticket.target.urgent",
                "none", "ticket.target.high", "none", "ticket.target.low", "none", "events.max.age", "PT1H",
                "events.max.lag", "PT1H"));
        try (TicketDriver tickets = new TicketDriver(platform, settings)) {
            tickets.send(CANONICAL);
            tickets.streamTimeTo(at("15:00").plus(Duration.ofDays(2)).plusSeconds(1));

            // a reply on the forgotten ticket is one on an unknown ticket
            tickets.send(event("t-1", TicketEventType.AGENT_REPLIED, at("15:30").plus(Duration.ofDays(2))).build());
            tickets.streamTimeTo(at("17:36").plus(Duration.ofDays(2)));

            assertThat(tickets.deadLetters()).extracting(r -> r.value().getCause())
                    .anyMatch(cause -> cause.contains("on ticket t-1, which has no OPENED event"));
        }
    }
}
