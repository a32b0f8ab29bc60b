package io.cxpulse.streams.survey;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.cxpulse.avro.SurveyAggregate;
import io.cxpulse.avro.SurveyMetric;
import io.cxpulse.streams.TestDrivers;
import io.cxpulse.streams.survey.SurveyWindows.AggregateOut;
import io.cxpulse.streams.window.Dimension;
import io.cxpulse.streams.window.RollingWindow.Bucket;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Kafka Streams inits the same processor instance again when it revives a task it closed dirty (a task corrupted
 * under exactly-once: its transaction is aborted and its stores restored to what was committed). Whatever the
 * aborted transaction emitted never reached the aggregates topic, so after the second init the same responses
 * must be emitted again, not held back as already sent. Two drivers on one {@link SurveyWindows} instance play
 * the two lives of the task: the second starts from empty stores, as the first committed nothing.
 */
class SurveyWindowsReinitTest {
    private static final String KEY = Dimension.segment("smb").key(SurveyMetric.NPS);
    private static final Instant AT = Instant.parse("2026-12-03T10:15:00Z");

    @Test
    void afterADirtyCloseTheSameResponsesAreEmittedAgain() {
        SurveySettings settings = SurveySettings.defaults();
        SurveyWindows windows = new SurveyWindows(settings, SurveyObserver.NONE);

        List<SurveyAggregate> first = run(windows, settings);
        assertThat(first).isNotEmpty()
                .allSatisfy(aggregate -> assertThat(aggregate.getResponses()).isEqualTo(3));

        List<SurveyAggregate> again = run(windows, settings);

        assertThat(again).containsExactlyInAnyOrderElementsOf(first);
    }

    /** One life of the task: fresh stores, init, three responses in one bucket, one emit; what it emitted. */
    private static List<SurveyAggregate> run(SurveyWindows windows, SurveySettings settings) {
        List<SurveyAggregate> emitted = new ArrayList<>();
        Topology topology = new Topology();
        topology.addSource("in", Serdes.String().deserializer(), new ScoreHistogramSerde().deserializer(), "in");
        topology.addProcessor(SurveyWindows.NAME, () -> new SameInstance(windows), "in");
        topology.addProcessor("capture", () -> (Processor<String, SurveyWindows.Emitted, Void, Void>) record -> {
            if (record.value() instanceof AggregateOut out) {
                emitted.add(out.aggregate());
            }
        }, SurveyWindows.NAME);
        for (Bucket bucket : Bucket.values()) {
            topology.addStateStore(Stores.windowStoreBuilder(Stores.inMemoryWindowStore(bucket.store(),
                    settings.buckets().of(bucket), bucket.size(),
                    false), Serdes.String(), new ScoreHistogramSerde()), SurveyWindows.NAME);
        }
        // no alert opens on three responses, so the alert store's values are never read
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SurveyTopology.ALERT_STORE),
                Serdes.String(), Serdes.ByteArray()), SurveyWindows.NAME);
        try (TestDrivers drivers = new TestDrivers(topology, "survey-windows-reinit", AT)) {
            TestInputTopic<String, ScoreHistogram> in = drivers.driver().createInputTopic("in",
                    Serdes.String().serializer(), new ScoreHistogramSerde().serializer());
            in.pipeInput(new TestRecord<>(KEY,
                    ScoreHistogram.empty(SurveyMetric.NPS).add(10).add(9).add(2), AT));
            drivers.advance(settings.emitInterval());
        }
        return emitted;
    }

    /** A new object for each call of the supplier, as Kafka Streams asks; every call goes to the one instance. */
    private record SameInstance(SurveyWindows windows)
            implements Processor<String, ScoreHistogram, String, SurveyWindows.Emitted> {
        @Override
        public void init(ProcessorContext<String, SurveyWindows.Emitted> context) {
            windows.init(context);
        }

        @Override
        public void process(Record<String, ScoreHistogram> record) {
            windows.process(record);
        }

        @Override
        public void close() {
            windows.close();
        }
    }
}
