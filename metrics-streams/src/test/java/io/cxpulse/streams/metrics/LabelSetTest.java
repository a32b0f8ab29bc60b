package io.cxpulse.streams.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import io.cxpulse.avro.SurveyMetric;
import io.cxpulse.avro.SurveyResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;

/** A configured label set is the same on every instance and after a restart, whatever order values arrive in. */
class LabelSetTest {
    private static final Instant AT = Instant.parse("2026-11-02T10:00:00Z");

    @Test
    void shouldLabelTheSameSegmentsOnEveryInstanceAndAfterARestart() {
        LabelSet configured = LabelSet.configured(List.of("smb", "enterprise"));
        List<String> arrivals = new ArrayList<>();
        for (String segment : List.of("x1", "x2", "x3", "smb", "enterprise", "x4")) {
            for (int i = 0; i < 5; i++) {
                arrivals.add(segment);
            }
        }
        // one instance sees the arrivals in order, another shuffled, a restarted one only the last half
        List<String> shuffled = new ArrayList<>(arrivals);
        Collections.shuffle(shuffled, new Random(3));
        Set<String> first = labels(LabelSet.configured(List.of("smb", "enterprise")), arrivals);
        Set<String> second = labels(LabelSet.configured(List.of("enterprise", "smb")), shuffled);
        Set<String> restarted = labels(configured, arrivals.subList(arrivals.size() / 2, arrivals.size()));

        assertThat(first).containsExactlyInAnyOrder("smb", "enterprise", "other");
        assertThat(second).isEqualTo(first);
        assertThat(restarted).isEqualTo(first);
        assertThat(configured.gaugeLabels(Map.of("x1", 1_000L, "smb", 1L)))
                .as("gauges keep the configured segments however busy the others are")
                .containsExactlyInAnyOrder("smb", "enterprise");
    }

    @Test
    void shouldKeepTheFirstSeenWithoutAList() {
        List<String> arrivals = List.of("x1", "x2", "smb", "x3");

        assertThat(labels(LabelSet.firstSeen(2), arrivals)).containsExactlyInAnyOrder("x1", "x2", "other");
        assertThat(labels(LabelSet.firstSeen(2), List.of("smb", "x3", "x1"))).as("another order, another set")
                .containsExactlyInAnyOrder("smb", "x3", "other");
    }

    private static Set<String> labels(LabelSet segments, List<String> arrivals) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SurveyMetrics metrics = new SurveyMetrics(registry, segments);
        int i = 0;
        for (String segment : arrivals) {
            metrics.counted(SurveyResponse.newBuilder().setEventId("e-" + i++).setOccurredAt(AT).setReceivedAt(AT)
                    .setSource("test").setCustomerId("c").setSurveyId("s").setMetric(SurveyMetric.NPS).setScore(9)
                    .setSegment(segment).build());
        }
        Set<String> labels = new TreeSet<>();
        for (Counter counter : registry.find("cx.survey.responses").counters()) {
            labels.add(counter.getId().getTag("segment"));
        }
        return labels;
    }
}
