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

import org.junit.jupiter.api.Test;

class TrafficModelTest {
    static final Instant START = Instant.parse("2026-11-20T12:00:00Z");
    final EventValidator validator = new EventValidator(Clock.fixed(START, ZoneOffset.UTC), Duration.ofDays(30),
            Duration.ofMinutes(5));

    @Test
    void shouldOnlyProduceEventsThatIngestAccepts() {
        TrafficModel model = new TrafficModel(7, START, Duration.ofMinutes(10));
        List<TrafficModel.Event> events = generate(model, 3_000);

        for (TrafficModel.Event event : events) {
            EventType type = EventType.fromPath(event.path()).orElseThrow();
            assertThat(validator.validate(type, event.json(), "sim"))
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

    @Test
    void shouldDriftTheDetractorShare() {
        TrafficModel model = new TrafficModel(7, START, Duration.ofMinutes(40));

        double high = model.detractorShare(START.plus(Duration.ofMinutes(10)), "smb", false);
        double low = model.detractorShare(START.plus(Duration.ofMinutes(30)), "smb", false);

        assertThat(high - low).isCloseTo(0.16, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(model.detractorShare(START, "smb", true)).isGreaterThan(model.detractorShare(START, "smb", false));
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
