package io.cxpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.cxpulse.ingest.EventType;
import io.cxpulse.ingest.validation.EventValidator;
import io.cxpulse.ingest.validation.TestValidator;

import org.junit.jupiter.api.Test;

class TrafficModelTest {
    static final Instant START = Instant.parse("2026-11-20T12:00:00Z");
    final TestValidator validator = validatorAt(START);

    /** Ingest's validator with its clock at {@code now}. */
    private static TestValidator validatorAt(Instant now) {
        return new TestValidator(Clock.fixed(now, ZoneOffset.UTC), Duration.ofDays(30), Duration.ofMinutes(5));
    }

    @Test
    void shouldOnlyProduceEventsThatIngestAccepts() {
        TrafficModel model = new TrafficModel(7, START, Duration.ofMinutes(10));
        List<TrafficModel.Event> events = generate(model, 3_000);

        for (TrafficModel.Event event : events) {
            EventType type = EventType.fromPath(event.path()).orElseThrow();
            // an event after the scenario's now is sent when its time comes: validated at that time
            Instant at = Instant.parse(event.json().path("occurredAt").asText());
            TestValidator atSend = at.isAfter(START) ? validatorAt(at) : validator;
            assertThat(atSend.validate(type, event.json(), "sim"))
                    .as("%s %s", event.path(), event.json()).isInstanceOf(EventValidator.Accepted.class);
        }
    }

    @Test
    void shouldMixSegmentsChannelsAndAllThreeEventTypes() {
        List<TrafficModel.Event> events = generate(new TrafficModel(7, START, Duration.ofMinutes(10)), 3_000);

        assertThat(events.stream().map(TrafficModel.Event::path).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("survey-responses", "ticket-events", "touchpoints");
        assertThat(values(events, "segment")).hasSizeGreaterThanOrEqualTo(4);
        assertThat(values(events, "channel")).hasSizeGreaterThanOrEqualTo(5);
        assertThat(values(events, "metric")).containsExactlyInAnyOrder("NPS", "CSAT", "CES");
    }

    @Test
    void shouldPutFrictionOnSomeTouchpointsAndSwitchChannels() {
        List<TrafficModel.Event> touchpoints = generate(new TrafficModel(7, START, Duration.ofMinutes(10)), 5_000)
                .stream().filter(e -> e.path().equals("touchpoints")).toList();

        long withFriction = touchpoints.stream().filter(e -> e.json().path("frictionSignals").size() > 0).count();
        assertThat(withFriction).isBetween(touchpoints.size() / 50L, touchpoints.size() / 3L);
        assertThat(values(touchpoints, "outcome")).contains("COMPLETED", "FAILED", "ABANDONED");
        Map<String, Set<String>> channelsByJourney = new HashMap<>();
        touchpoints.forEach(e -> channelsByJourney.computeIfAbsent(e.json().path("journeyId").asText(),
                k -> new java.util.HashSet<>()).add(e.json().path("channel").asText()));
        assertThat(channelsByJourney.values()).anyMatch(channels -> channels.size() > 1);
    }

    @Test
    void shouldKeepEachTicketsLifecycleInOrderWithRealisticDelays() {
        List<TrafficModel.Event> tickets = generate(new TrafficModel(7, START, Duration.ofMinutes(10)), 3_000)
                .stream().filter(e -> e.path().equals("ticket-events")).toList();
        Map<String, List<TrafficModel.Event>> byTicket = tickets.stream()
                .collect(Collectors.groupingBy(e -> e.json().path("ticketId").asText()));

        List<Duration> firstReplies = new ArrayList<>();
        byTicket.values().forEach(lifecycle -> {
            assertThat(lifecycle.get(0).json().path("type").asText()).isEqualTo("OPENED");
            List<Instant> times = lifecycle.stream().map(e -> Instant.parse(e.json().path("occurredAt").asText()))
                    .toList();
            assertThat(times).isSorted();
            if (lifecycle.size() > 1) {
                firstReplies.add(Duration.between(times.get(0), times.get(1)));
            }
        });
        firstReplies.sort(Duration::compareTo);
        Duration median = firstReplies.get(firstReplies.size() / 2);
        assertThat(median).isBetween(Duration.ofMinutes(2), Duration.ofHours(3));
        assertThat(tickets).anyMatch(e -> e.json().path("type").asText().equals("REOPENED"));
    }

    /** A scenario's history is recent: no event is more than 50 minutes before the scenario starts. */
    @Test
    void shouldStartEveryScenarioWithinItsHistory() {
        List<TrafficModel.Event> events = generate(new TrafficModel(3, START, Duration.ofMinutes(10)), 3_000);

        assertThat(events).allSatisfy(e -> assertThat(Instant.parse(e.json().path("occurredAt").asText()))
                .isAfterOrEqualTo(START.minus(TrafficModel.HISTORY)));
        assertThat(events).anyMatch(e -> Instant.parse(e.json().path("occurredAt").asText()).isAfter(START));
    }

    @Test
    void shouldDriftTheDetractorShare() {
        TrafficModel model = new TrafficModel(7, START, Duration.ofMinutes(40));

        double high = model.detractorShare(START.plus(Duration.ofMinutes(10)), "smb", TrafficModel.Friction.NONE);
        double low = model.detractorShare(START.plus(Duration.ofMinutes(30)), "smb", TrafficModel.Friction.NONE);

        assertThat(high - low).isCloseTo(0.16, org.assertj.core.data.Offset.offset(1e-9));
        double none = model.detractorShare(START, "smb", TrafficModel.Friction.NONE);
        assertThat(model.detractorShare(START, "smb", TrafficModel.Friction.ELSEWHERE) - none)
                .isCloseTo(0.03, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(model.detractorShare(START, "smb", TrafficModel.Friction.KNOWN_POINT) - none)
                .isCloseTo(0.35, org.assertj.core.data.Offset.offset(1e-9));
    }

    /** In generated traffic, friction at the known point raises the detractor share far more than elsewhere. */
    @Test
    void shouldMakeTheKnownFrictionPointRaiseTheDetractorShare() {
        TrafficModel model = new TrafficModel(11, START, Duration.ofHours(1));
        java.util.Map<String, Boolean> metAtPoint = new java.util.HashMap<>();
        List<TrafficModel.Event> surveys = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {
            for (TrafficModel.Event event : model.next(START)) {
                var json = event.json();
                if (event.path().equals("touchpoints")
                        && json.path("touchpoint").asText().equals(TrafficModel.KNOWN_FRICTION_POINT)) {
                    boolean friction = !json.path("outcome").asText().equals("COMPLETED")
                            || json.path("frictionSignals").size() > 0;
                    metAtPoint.merge(json.path("customerId").asText(), friction, Boolean::logicalOr);
                } else if (event.path().equals("survey-responses") && json.path("metric").asText().equals("NPS")) {
                    surveys.add(event);
                }
            }
        }
        long[] met = new long[2];
        long[] clean = new long[2];
        for (TrafficModel.Event survey : surveys) {
            Boolean friction = metAtPoint.get(survey.json().path("customerId").asText());
            if (friction != null) {
                long[] group = friction ? met : clean;
                group[0]++;
                group[1] += survey.json().path("score").asInt() <= 6 ? 1 : 0;
            }
        }

        assertThat(met[0]).isGreaterThan(100);
        assertThat((double) met[1] / met[0] - (double) clean[1] / clean[0]).isGreaterThan(0.2);
    }

    private static List<TrafficModel.Event> generate(TrafficModel model, int scenarios) {
        List<TrafficModel.Event> events = new ArrayList<>();
        for (int i = 0; i < scenarios; i++) {
            events.addAll(model.next(START));
        }
        return events;
    }

    private static Set<String> values(List<TrafficModel.Event> events, String field) {
        return events.stream().map(e -> e.json().path(field)).filter(n -> !n.isMissingNode())
                .map(n -> n.asText()).collect(Collectors.toSet());
    }
}
