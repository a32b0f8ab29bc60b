package io.cxpulse.streams.survey;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import io.cxpulse.avro.Channel;
import io.cxpulse.avro.SurveyAggregate;
import io.cxpulse.avro.SurveyMetric;
import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.platform.junit.TemporaryPlatform;
import io.cxpulse.schemas.contract.CxTopic;
import io.cxpulse.schemas.contract.ScoreScale;
import io.cxpulse.schemas.registry.SchemaRegistryClient;
import io.cxpulse.streams.window.RollingWindow;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The topology's answers do not depend on arrival order within the lateness horizon (responses over 30 days), the
 * windows that end now and the past ones alike; duplicates change nothing; and no bytes on the input topic stop it.
 */
class SurveyTopologyPropertyTest {
    private static final String[] SEGMENTS = {"smb", "enterprise", "consumer"};
    private static TemporaryPlatform temporary;
    private static LocalPlatform platform;

    @BeforeContainer
    static void startPlatform() {
        temporary = TemporaryPlatform.start();
        platform = temporary.platform();
    }

    @AfterContainer
    static void stopPlatform() {
        temporary.close();
    }

    @Provide
    Arbitrary<List<SurveyResponse>> responses() {
        Arbitrary<SurveyResponse> response = Combinators.combine(
                Arbitraries.of(SurveyMetric.NPS, SurveyMetric.CSAT, SurveyMetric.CES),
                Arbitraries.integers().between(0, 10), Arbitraries.oneOf(Arbitraries.longs().between(0, 50 * 60),
                        Arbitraries.longs().between(0, 30L * 24 * 3600)),
                Arbitraries.of(SEGMENTS), Arbitraries.of(Channel.WEB, Channel.PHONE, Channel.CHAT))
                .as((metric, score, second, segment, channel) -> {
                    ScoreScale scale = ScoreScale.of(metric);
                    int onScale = scale.min() + score % scale.size();
                    return SurveyDriver.response(metric, onScale, SurveyDriver.T0.plusSeconds(second))
                            .setSegment(segment).setChannel(channel).build();
                });
        return response.list().ofMinSize(1).ofMaxSize(40);
    }

    /**
     * Every key's final figures, without the emission time, after the responses arrive as one export: received
     * together, a minute after the last of them.
     */
    private static Map<String, String> run(List<SurveyResponse> responses) {
        Instant received = inTimeOrder(responses).get(responses.size() - 1).getOccurredAt().plusSeconds(60);
        try (SurveyDriver survey = new SurveyDriver(platform, SurveySettings.defaults(), SurveyObserver.NONE)) {
            survey.send(responses.stream().map(response -> SurveyResponse.newBuilder(response)
                    .setReceivedAt(received).build()).toList());
            Map<String, String> figures = new TreeMap<>();
            for (Map.Entry<String, SurveyAggregate> entry : survey.aggregates().entrySet()) {
                SurveyAggregate aggregate = entry.getValue();
                aggregate.setEmittedAt(Instant.EPOCH);
                figures.put(entry.getKey(), aggregate.toString());
            }
            // the past windows that hold each response, as a query at its time reads them (minute buckets are
            // kept for two days, so the 1h windows only within them)
            Instant latest = received.minusSeconds(60);
            for (SurveyResponse response : responses) {
                Instant at = response.getOccurredAt();
                String key = response.getMetric() + "|all";
                for (RollingWindow window : RollingWindow.values()) {
                    if (window.bucket() == RollingWindow.Bucket.HOUR || at.isAfter(latest.minus(Duration.ofDays(2))
                            .plus(Duration.ofHours(1)))) {
                        figures.put(key + "|" + window.label() + "@" + at, Arrays.toString(survey.window(key,
                                response.getMetric(), window, at).counts()));
                    }
                }
            }
            return figures;
        }
    }

    private static List<SurveyResponse> inTimeOrder(List<SurveyResponse> responses) {
        List<SurveyResponse> ordered = new ArrayList<>(responses);
        ordered.sort((a, b) -> a.getOccurredAt().compareTo(b.getOccurredAt()));
        return ordered;
    }

    @Property(tries = 25)
    void theFiguresDoNotDependOnArrivalOrderWithinTheHorizon(@ForAll("responses") List<SurveyResponse> responses,
            @ForAll long seed) {
        List<SurveyResponse> shuffled = new ArrayList<>(responses);
        Collections.shuffle(shuffled, new Random(seed));

        assertThat(run(shuffled)).isEqualTo(run(inTimeOrder(responses)));
    }

    @Provide
    Arbitrary<byte[]> poison() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        // a valid Confluent header with the survey schema's id, then garbage: exercises the Avro decoder itself
        Arbitrary<byte[]> framed = random.map(body -> {
            int id = SchemaRegistryClient.forUrl(platform.schemaRegistryUrl())
                    .register(CxTopic.SURVEY_RESPONSES.defaultName() + "-value", SurveyResponse.getClassSchema());
            return java.nio.ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(id).put(body).array();
        });
        return Arbitraries.oneOf(random, framed);
    }

    @Property(tries = 60)
    void noBytesOnTheInputTopicStopTheTopology(@ForAll("poison") byte[] value) {
        try (SurveyDriver survey = new SurveyDriver(platform, SurveySettings.defaults(), SurveyObserver.NONE)) {
            survey.sendRaw("k", value, SurveyDriver.T0);
            survey.send(SurveyDriver.nps(10, SurveyDriver.T0));
            Map<String, SurveyAggregate> aggregates = survey.aggregates();
            List<Long> deadLetterOffsets = survey.deadLetters().stream()
                    .map(io.cxpulse.avro.DeadLetter::getOriginalOffset).toList();

            // the bytes are dead-lettered (or, rarely, decode to a valid response); the valid response after them
            // is counted (or, if the bytes decoded to a response far ahead in time, dead-lettered as late)
            assertThat(deadLetterOffsets).isSubsetOf(0L, 1L).doesNotHaveDuplicates();
            if (!deadLetterOffsets.contains(1L)) {
                assertThat(aggregates.get("NPS|all|1h").getResponses()).isPositive();
            }
        }
    }

    @Property(tries = 25)
    void duplicatesChangeNothing(@ForAll("responses") List<SurveyResponse> responses, @ForAll long seed) {
        Random random = new Random(seed);
        List<SurveyResponse> withRetries = new ArrayList<>(responses);
        for (SurveyResponse response : responses) {
            if (random.nextBoolean()) {
                withRetries.add(random.nextInt(withRetries.size() + 1), SurveyResponse.newBuilder(response).build());
            }
        }
        Duration spread = Duration.between(inTimeOrder(responses).get(0).getOccurredAt(),
                inTimeOrder(responses).get(responses.size() - 1).getOccurredAt());

        assertThat(spread).isLessThan(SurveySettings.defaults().intake().horizon());
        assertThat(run(withRetries)).isEqualTo(run(responses));
    }
}
