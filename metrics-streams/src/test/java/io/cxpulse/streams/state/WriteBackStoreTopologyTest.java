package io.cxpulse.streams.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.cxpulse.streams.TestDrivers;

import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link WriteBackStore} in a running topology (the test driver commits after every input record): running counts
 * per key, with room in memory for two keys. By each commit the logged store and its changelog hold every count,
 * written once however often it changed; a changed count that leaves memory before a commit is written then; a
 * count that left memory is read back right; a deleted key is gone from both.
 */
class WriteBackStoreTopologyTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private static final String STORE = "test-counts";
    private static final String CHANGELOG = "write-back-test-" + STORE + "-changelog";

    /**
     * For each of the record's keys (comma-separated), adds 1 to its count as many times as the record's value says
     * (0: deletes it); sends the last key's count on.
     */
    private static final class Counter implements Processor<String, Long, String, Long> {
        private final WriteBackStore<Long> counts = new WriteBackStore<>(STORE, 2);
        private ProcessorContext<String, Long> context;

        @Override
        public void init(ProcessorContext<String, Long> context) {
            this.context = context;
            counts.init(context);
        }

        @Override
        public void process(Record<String, Long> record) {
            String last = null;
            for (String key : record.key().split(",")) {
                last = key;
                if (record.value() == 0) {
                    counts.delete(key);
                    continue;
                }
                for (long i = 0; i < record.value(); i++) {
                    Long count = counts.get(key);
                    counts.put(key, count == null ? 1 : count + 1);
                }
            }
            if (record.value() > 0) {
                context.forward(record.withKey(last).withValue(counts.get(last)));
            }
        }
    }

    private TestDrivers drivers;
    private TopologyTestDriver driver;
    private TestInputTopic<String, Long> in;
    private TestOutputTopic<String, Long> out;
    private TestOutputTopic<String, Long> changelog;

    @BeforeEach
    void start() {
        StreamsBuilder builder = new StreamsBuilder();
        WriteBackStore.addStores(builder, Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE),
                Serdes.String(), Serdes.Long()));
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.Long()))
                .process(Counter::new, Named.as("test-count"), CommitHook.withHook(STORE))
                .to("out", Produced.with(Serdes.String(), Serdes.Long()));
        drivers = new TestDrivers(builder.build(), "write-back-test", T0);
        driver = drivers.driver();
        in = driver.createInputTopic("in", new StringSerializer(), new LongSerializer());
        out = driver.createOutputTopic("out", new StringDeserializer(), new LongDeserializer());
        changelog = driver.createOutputTopic(CHANGELOG, new StringDeserializer(), new LongDeserializer());
    }

    @AfterEach
    void stop() {
        drivers.close();
    }

    @Test
    void shouldHaveEveryCountInTheLoggedStoreByEachCommitWrittenOnce() {
        in.pipeInput("a", 3L, T0);
        assertThat(stored()).containsExactly(Map.entry("a", 3L));
        assertThat(changelog.readKeyValuesToList()).containsExactly(KeyValue.pair("a", 3L));

        in.pipeInput("b", 2L, T0);
        in.pipeInput("a", 1L, T0);

        assertThat(stored()).containsOnly(Map.entry("a", 4L), Map.entry("b", 2L));
        assertThat(changelog.readKeyValuesToList()).containsExactly(KeyValue.pair("b", 2L), KeyValue.pair("a", 4L));
        assertThat(out.readValuesToList()).containsExactly(3L, 2L, 4L);
    }

    @Test
    void shouldWriteACountThatLeavesMemoryBeforeTheCommitAtOnce() {
        // one record changes three counts with room for two: c pushes a out changed, and a is read back before the
        // commit
        in.pipeInput("a,b,c,a", 2L, T0);

        assertThat(out.readValuesToList()).containsExactly(4L);
        assertThat(stored()).containsOnly(Map.entry("a", 4L), Map.entry("b", 2L), Map.entry("c", 2L));
        assertThat(latestChangelog()).containsOnly(Map.entry("a", 4L), Map.entry("b", 2L), Map.entry("c", 2L));
    }

    @Test
    void shouldReadACountThatLeftMemoryBackFromTheStore() {
        // room for two keys: c pushes a out, then a pushes b out, and so on
        for (String key : List.of("a", "b", "c", "a", "b", "c", "a")) {
            in.pipeInput(key, 2L, T0);
        }

        assertThat(out.readValuesToList()).containsExactly(2L, 2L, 2L, 4L, 4L, 4L, 6L);
        assertThat(stored()).containsOnly(Map.entry("a", 6L), Map.entry("b", 4L), Map.entry("c", 4L));
        assertThat(latestChangelog()).containsOnly(Map.entry("a", 6L), Map.entry("b", 4L), Map.entry("c", 4L));
    }

    @Test
    void shouldDeleteFromMemoryAndFromTheStore() {
        in.pipeInput("a", 2L, T0);
        in.pipeInput("a", 0L, T0);
        assertThat(stored()).isEmpty();

        in.pipeInput("a", 1L, T0);

        assertThat(out.readValuesToList()).containsExactly(2L, 1L);
        assertThat(stored()).containsExactly(Map.entry("a", 1L));
        assertThat(changelog.readKeyValuesToList()).containsExactly(KeyValue.pair("a", 2L), KeyValue.pair("a", null),
                KeyValue.pair("a", 1L));
    }

    private Map<String, Long> stored() {
        KeyValueStore<String, Long> store = driver.getKeyValueStore(STORE);
        Map<String, Long> counts = new HashMap<>();
        try (var all = store.all()) {
            all.forEachRemaining(entry -> counts.put(entry.key, entry.value));
        }
        return counts;
    }

    private Map<String, Long> latestChangelog() {
        Map<String, Long> latest = new HashMap<>();
        changelog.readKeyValuesToList().forEach(record -> latest.put(record.key, record.value));
        return latest;
    }
}
