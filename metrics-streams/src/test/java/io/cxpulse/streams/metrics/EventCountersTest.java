package io.cxpulse.streams.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import io.cxpulse.avro.Channel;
import io.cxpulse.avro.DeadLetterReason;
import io.cxpulse.avro.FrictionSignal;
import io.cxpulse.avro.Outcome;
import io.cxpulse.avro.SurveyMetric;
import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.avro.TicketEvent;
import io.cxpulse.avro.TicketEventType;
import io.cxpulse.avro.TicketPriority;
import io.cxpulse.avro.TouchpointEvent;
import io.cxpulse.streams.ticket.TicketLifecycle.Facets;
import io.cxpulse.streams.ticket.TicketLifecycle.Kind;
import io.cxpulse.streams.ticket.TicketLifecycle.Settled;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * The per-event counters and timers, fed random events, against counts the test keeps itself from the same
 * events: every series the registry holds, with its tags, and nothing else. The meters are looked up by a key of
 * their own (not by {@code Tags}), so this is where a key that mixed two series up or split one would show.
 */
class EventCountersTest {
    private static final Instant AT = Instant.parse("2026-11-02T10:00:00Z");
    private static final String[] SEGMENTS = {"smb", "enterprise", "s|1", "s 2", "x"};
    private final Random random = new Random(7);
    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void surveyCountersCountEachResponseUnderItsTagsWithSegmentsPastTheCapAsOther() {
        SurveyMetrics metrics = new SurveyMetrics(registry, 3);
        Map<String, Double> expected = new TreeMap<>();
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            SurveyMetric metric = SurveyMetric.values()[random.nextInt(3)];
            int score = metric == SurveyMetric.NPS ? random.nextInt(11) : metric == SurveyMetric.CSAT
                    ? 1 + random.nextInt(5) : 1 + random.nextInt(7);
            String segment = random.nextInt(10) == 0 ? null : SEGMENTS[random.nextInt(SEGMENTS.length)];
            Channel channel = random.nextInt(10) == 0 ? null : Channel.values()[random.nextInt(3)];
            metrics.counted(SurveyResponse.newBuilder().setEventId("e-" + i).setOccurredAt(AT).setReceivedAt(AT)
                    .setSource("test").setCustomerId("c").setSurveyId("s").setMetric(metric).setScore(score)
                    .setSegment(segment).setChannel(channel).build());
            if (segment != null && !kept.contains(segment) && kept.size() < 3) {
                kept.add(segment);
            }
            String label = segment == null ? "none" : kept.contains(segment) ? segment : "other";
            String category = switch (metric) {
                case NPS -> score <= 6 ? "detractor" : score <= 8 ? "passive" : "promoter";
                case CSAT -> score <= 2 ? "dissatisfied" : score == 3 ? "neutral" : "satisfied";
                default -> score <= 3 ? "hard" : score == 4 ? "neutral" : "easy";
            };
            expected.merge("category=" + category + ",channel=" + (channel == null ? "none" : channel.name())
                    + ",metric=" + metric + ",segment=" + label, 1.0, Double::sum);
        }

        assertThat(counts("cx.survey.responses")).isEqualTo(expected);
        assertThat(expected.keySet()).anyMatch(series -> series.contains("segment=other"));
    }

    @Test
    void touchpointCountersCountEachEventOnceAndEachSignalOncePerEventHoweverOftenItIsRepeated() {
        FrictionMetrics metrics = new FrictionMetrics(registry, 20);
        Map<String, Double> events = new TreeMap<>();
        Map<String, Double> signals = new TreeMap<>();
        for (int i = 0; i < 2_000; i++) {
            String step = "step-" + random.nextInt(4);
            Channel channel = Channel.values()[random.nextInt(3)];
            Outcome outcome = Outcome.values()[random.nextInt(3)];
            List<FrictionSignal> carried = new ArrayList<>();
            for (int s = random.nextInt(5); s > 0; s--) {
                carried.add(FrictionSignal.values()[random.nextInt(FrictionSignal.values().length)]);
            }
            metrics.counted(TouchpointEvent.newBuilder().setEventId("e-" + i).setOccurredAt(AT).setReceivedAt(AT)
                    .setSource("test").setCustomerId("c").setChannel(channel).setTouchpoint(step).setOutcome(outcome)
                    .setFrictionSignals(carried).build());
            events.merge("channel=" + channel + ",outcome=" + outcome + ",touchpoint=" + step, 1.0, Double::sum);
            for (FrictionSignal signal : new LinkedHashSet<>(carried)) {
                signals.merge("signal=" + signal + ",touchpoint=" + step, 1.0, Double::sum);
            }
        }

        assertThat(counts("cx.touchpoint.events")).isEqualTo(events);
        assertThat(counts("cx.friction.signals")).isEqualTo(signals);
    }

    @Test
    void ticketCountersAndTimersKeepEachSeriesApart() {
        TicketMetrics metrics = new TicketMetrics(registry, 20);
        Map<String, Double> events = new TreeMap<>();
        Map<String, Double> breaches = new TreeMap<>();
        Map<String, Double> retracted = new TreeMap<>();
        Map<String, List<Double>> timed = new TreeMap<>();
        for (int i = 0; i < 2_000; i++) {
            TicketEventType type = TicketEventType.values()[random.nextInt(TicketEventType.values().length)];
            TicketPriority priority = TicketPriority.values()[random.nextInt(TicketPriority.values().length)];
            Channel channel = random.nextInt(5) == 0 ? null : Channel.values()[random.nextInt(3)];
            String channelLabel = channel == null ? "none" : channel.name();
            metrics.counted(TicketEvent.newBuilder().setEventId("e-" + i).setOccurredAt(AT).setReceivedAt(AT)
                    .setSource("test").setCustomerId("c").setTicketId("t").setType(type).setPriority(priority)
                    .setChannel(channel).build());
            events.merge("channel=" + channelLabel + ",priority=" + priority + ",type=" + type, 1.0, Double::sum);
            if (random.nextInt(4) == 0) {
                metrics.breached(priority);
                breaches.merge("priority=" + priority, 1.0, Double::sum);
            }
            Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
            Duration duration = Duration.ofSeconds(1 + random.nextInt(10_000));
            Facets facets = new Facets(channel, priority, "q", false, false);
            Settled figure = new Settled(kind, duration, AT, facets);
            boolean corrected = random.nextBoolean();
            if (corrected) {
                metrics.retracted(new Settled(kind, Duration.ofSeconds(1), AT, facets));
            }
            metrics.settled(figure);
            String series = "channel=" + channelLabel + ",priority=" + priority;
            String name = kind == Kind.FIRST_RESPONSE ? "cx.ticket.first.response " + series
                    : "cx.ticket.resolution " + series + ",resolution="
                            + (kind == Kind.FIRST_RESOLUTION ? "first" : "full");
            timed.computeIfAbsent(name, n -> new ArrayList<>()).add((double) duration.toMillis());
            if (corrected) {
                retracted.merge("channel=" + channelLabel + ",duration=" + kind.name().toLowerCase(Locale.ROOT)
                        + ",priority=" + priority, 1.0, Double::sum);
            }
        }

        assertThat(counts("cx.ticket.events")).isEqualTo(events);
        assertThat(counts("cx.ticket.sla.breaches")).isEqualTo(breaches);
        assertThat(counts("cx.ticket.figures.retracted")).isEqualTo(retracted);
        Map<String, List<Double>> expectedTimers = new TreeMap<>();
        timed.forEach((series, millis) -> expectedTimers.put(series,
                List.of((double) millis.size(), millis.stream().mapToDouble(Double::doubleValue).sum())));
        Map<String, List<Double>> actualTimers = new TreeMap<>();
        for (String name : List.of("cx.ticket.first.response", "cx.ticket.resolution")) {
            for (Timer timer : registry.find(name).timers()) {
                actualTimers.put(name + " " + series(timer),
                        List.of((double) timer.count(), timer.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)));
            }
        }
        assertThat(actualTimers).isEqualTo(expectedTimers);
    }

    @Test
    void intakeCountersCountDuplicatesAndDeadLettersByTypeAndReasonAndLateOnesAsLateToo() {
        SurveyMetrics surveys = new SurveyMetrics(registry, 20);
        TicketMetrics tickets = new TicketMetrics(registry, 20);
        Map<String, Double> deadLetters = new TreeMap<>();
        Map<String, Double> duplicates = new HashMap<>();
        Map<String, Double> late = new TreeMap<>();
        for (int i = 0; i < 1_000; i++) {
            boolean survey = random.nextBoolean();
            IntakeMeters<?, ?, ?> meters = survey ? surveys : tickets;
            String type = survey ? "survey_response" : "ticket_event";
            if (random.nextBoolean()) {
                meters.duplicate();
                duplicates.merge("type=" + type, 1.0, Double::sum);
            } else {
                DeadLetterReason reason = DeadLetterReason.values()[random.nextInt(DeadLetterReason.values().length)];
                meters.deadLettered(reason);
                deadLetters.merge("reason=" + reason + ",type=" + type, 1.0, Double::sum);
                if (reason == DeadLetterReason.LATE_EVENT) {
                    late.merge("type=" + type, 1.0, Double::sum);
                }
            }
        }

        assertThat(counts("cx.duplicate.events")).isEqualTo(new TreeMap<>(duplicates));
        assertThat(counts("cx.dead.letters")).isEqualTo(deadLetters);
        assertThat(counts("cx.late.events")).isEqualTo(late);
    }

    /** Each series of counter {@code name}, as its sorted tags "k=v,k=v", and its count. */
    private Map<String, Double> counts(String name) {
        Map<String, Double> counts = new TreeMap<>();
        for (Counter counter : registry.find(name).counters()) {
            assertThat(counts.put(series(counter), counter.count())).as("one series per tag set").isNull();
        }
        return counts;
    }

    private static String series(Meter meter) {
        List<String> tags = new ArrayList<>();
        for (Tag tag : meter.getId().getTags()) {
            tags.add(tag.getKey() + "=" + tag.getValue());
        }
        return String.join(",", tags);
    }
}
