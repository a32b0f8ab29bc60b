package io.cxpulse.streams.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.cxpulse.streams.TestDrivers;
import io.cxpulse.streams.window.BucketWindows;
import io.cxpulse.streams.window.MinuteCombiner;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.Serde;
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
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PendingSums} through {@link MinuteCombiner}: the sums reach their logged store (and its changelog) by each
 * commit although nothing writes them per record; this is what fails if Kafka Streams stops calling
 * {@link CommitHook} before a commit.
 */
class CommitHookTopologyTest {
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    private static final String STORE = "test-pending";
    private static final String CHANGELOG = "commit-hook-test-" + STORE + "-changelog";
    private static final long MINUTE = T0.toEpochMilli();

    /** A count, additive. */
    static final class Count implements BucketWindows.Additive<Count> {
        long value;

        @Override
        public Count addAll(Count other) {
            value += other.value;
            return this;
        }
    }

    static final Serde<Count> COUNTS = Serdes.serdeFrom((topic, count) -> count == null ? null
            : ByteBuffer.allocate(8).putLong(count.value).array(), (topic, bytes) -> {
                if (bytes == null) {
                    return null;
                }
                Count count = new Count();
                count.value = ByteBuffer.wrap(bytes).getLong();
                return count;
            });

    private TestDrivers drivers;
    private TopologyTestDriver driver;
    private TestInputTopic<String, Long> in;
    private TestOutputTopic<String, Count> out;
    private TestOutputTopic<String, byte[]> changelog;

    @BeforeEach
    void start() {
        StreamsBuilder builder = new StreamsBuilder();
        PendingSums.addStores(builder, STORE, COUNTS);
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.Long()))
                .mapValues(value -> {
                    Count count = new Count();
                    count.value = value;
                    return count;
                })
                .process(() -> new MinuteCombiner<>(STORE, Count::new, Duration.ofMinutes(1)),
                        Named.as("test-combine"), PendingSums.stores(STORE))
                .to("out", Produced.with(Serdes.String(), COUNTS));
        drivers = new TestDrivers(builder.build(), "commit-hook-test", T0);
        driver = drivers.driver();
        in = driver.createInputTopic("in", new StringSerializer(), new LongSerializer());
        out = driver.createOutputTopic("out", new StringDeserializer(), COUNTS.deserializer());
        changelog = driver.createOutputTopic(CHANGELOG, new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        drivers.close();
    }

    @Test
    void shouldHaveEverySumInTheLoggedStoreByEachCommit() {
        in.pipeInput("a", 2L, T0.plusSeconds(1));
        assertThat(stored()).containsExactly(Map.entry(MINUTE + "|a", 2L));
        in.pipeInput("a", 3L, T0.plusSeconds(2));
        in.pipeInput("b", 1L, T0.plusSeconds(3));

        assertThat(stored()).containsOnly(Map.entry(MINUTE + "|a", 5L), Map.entry(MINUTE + "|b", 1L));
        assertThat(latestChangelog()).containsOnly(Map.entry(MINUTE + "|a", 5L), Map.entry(MINUTE + "|b", 1L));
        assertThat(out.isEmpty()).isTrue();
    }

    @Test
    void shouldSendEachSumOnceAndDeleteItFromTheStore() {
        in.pipeInput("a", 2L, T0.plusSeconds(1));
        in.pipeInput("a", 3L, T0.plusSeconds(2));
        in.pipeInput("b", 1L, T0.plusSeconds(70));

        driver.advanceWallClockTime(Duration.ofMinutes(1));

        List<TestRecord<String, Count>> sent = out.readRecordsToList();
        assertThat(sent).extracting(TestRecord::key, record -> record.value().value, TestRecord::timestamp)
                .containsExactlyInAnyOrder(tuple("a", 5L, MINUTE),
                        tuple("b", 1L, MINUTE + 60_000));
        assertThat(stored()).isEmpty();
        Map<String, Long> latest = latestChangelog();
        assertThat(latest).containsKeys(MINUTE + "|a", (MINUTE + 60_000) + "|b");
        assertThat(latest.values()).containsOnlyNulls();
    }

    @Test
    void shouldWriteASumThatChangesAfterItWasSentAfresh() {
        in.pipeInput("a", 2L, T0.plusSeconds(1));
        driver.advanceWallClockTime(Duration.ofMinutes(1));
        in.pipeInput("a", 4L, T0.plusSeconds(5));

        assertThat(stored()).containsExactly(Map.entry(MINUTE + "|a", 4L));
        driver.advanceWallClockTime(Duration.ofMinutes(1));
        assertThat(out.readValuesToList()).extracting(count -> count.value).containsExactly(2L, 4L);
    }

    private Map<String, Long> stored() {
        KeyValueStore<String, Count> store = driver.getKeyValueStore(STORE);
        Map<String, Long> sums = new HashMap<>();
        try (var all = store.all()) {
            all.forEachRemaining(entry -> sums.put(entry.key, entry.value.value));
        }
        return sums;
    }

    /** The changelog's latest value of each key, as a compacted topic would keep it (null: a tombstone). */
    private Map<String, Long> latestChangelog() {
        Map<String, Long> latest = new HashMap<>();
        for (KeyValue<String, byte[]> record : changelog.readKeyValuesToList()) {
            latest.put(record.key, record.value == null ? null : COUNTS.deserializer().deserialize(CHANGELOG,
                    record.value).value);
        }
        return latest;
    }
}
