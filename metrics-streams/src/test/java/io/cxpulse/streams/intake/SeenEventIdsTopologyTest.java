package io.cxpulse.streams.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.cxpulse.streams.TestDrivers;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SeenEventIds} in a running topology (the test driver commits after every input record): a record's key is
 * a comma-separated list of eventIds, each counted once. The batches' changelog gets one record per commit holding
 * the ids first counted in it, or more when over {@value SeenEventIds#MAX_PER_BATCH} ids are waiting; the index is
 * not logged; a batch past the retention is deleted. With a locator (the ids in memory), it is filled from the
 * batches on init, forgets a deleted batch's ids, tells apart the times of an id counted twice, and is dropped past
 * its bound, the index then learning what it lacks. Without one (a bound of 0), an index that lacks restored
 * batches (after a wipe, after the task ran elsewhere, or after it had a locator) learns them. Every duplicate is
 * found either way. The batches are decoded here independently of the class.
 */
class SeenEventIdsTopologyTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private static final Duration RETENTION = Duration.ofHours(1);
    private static final String INDEX = "test-seen-event-ids";
    /**
     * A key that has the processor init its ids again (a store can be reached only while a record is processed), as
     * Kafka Streams does on the same instance when it revives a task that closed dirty.
     */
    private static final String INIT_AGAIN = "!init";
    /**
     * A key prefix that has the processor make its ids afresh, with the bound that follows, and init them: a restart
     * with another setting.
     */
    private static final String RESTART_WITH = "!restart:";
    private static final int INDEX_ONLY = 0;

    /** Counts each id of the record's key once; sends every id counted for the first time on. */
    private static final class Dedup implements Processor<String, Long, String, Long> {
        private SeenEventIds seen;
        private ProcessorContext<String, Long> context;

        Dedup(int maxLocated) {
            seen = new SeenEventIds(INDEX, RETENTION, maxLocated);
        }

        @Override
        public void init(ProcessorContext<String, Long> context) {
            this.context = context;
            seen.init(context);
        }

        long progress() {
            return seen.progress();
        }

        @Override
        public void process(Record<String, Long> record) {
            if (record.key().equals(INIT_AGAIN)) {
                seen.init(context);
                return;
            }
            if (record.key().startsWith(RESTART_WITH)) {
                seen = new SeenEventIds(INDEX, RETENTION,
                        Integer.parseInt(record.key().substring(RESTART_WITH.length())));
                seen.init(context);
                return;
            }
            for (String id : record.key().split(",")) {
                if (!seen.contains(id, record.timestamp())) {
                    seen.add(id, record.timestamp());
                    context.forward(record.withKey(id));
                }
            }
        }
    }

    /** A batch as the changelog holds it. */
    private record Batch(long token, long latest, long progress, List<String> ids, List<Long> times) {
        static final int HEADER = 8 + 8 + 8 + 4;

        static Batch decode(byte[] bytes) {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            long token = in.getLong();
            long latest = in.getLong();
            long progress = in.getLong();
            int count = in.getInt();
            List<String> ids = new ArrayList<>();
            List<Long> times = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                times.add(in.getLong());
                byte[] id = new byte[in.getInt()];
                in.get(id);
                ids.add(new String(id, StandardCharsets.UTF_8));
            }
            assertThat(in.hasRemaining()).isFalse();
            return new Batch(token, latest, progress, ids, times);
        }
    }

    private final List<TestDrivers> started = new ArrayList<>();
    private TopologyTestDriver driver;
    private TestInputTopic<String, Long> in;
    private TestOutputTopic<String, Long> out;
    private TestOutputTopic<Long, byte[]> batches;

    /** The processor last made. */
    private Dedup dedup;

    private void start(String application) {
        start(application, SeenEventIds.DEFAULT_MAX_LOCATED);
    }

    private void start(String application, int maxLocated) {
        StreamsBuilder builder = new StreamsBuilder();
        SeenEventIds.addStores(builder, INDEX, RETENTION);
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.Long()))
                .process(() -> {
                    dedup = new Dedup(maxLocated);
                    return dedup;
                }, Named.as("test-dedup"), SeenEventIds.stores(INDEX))
                .to("out", Produced.with(Serdes.String(), Serdes.Long()));
        TestDrivers drivers = new TestDrivers(builder.build(), application, T0);
        started.add(drivers);
        driver = drivers.driver();
        in = driver.createInputTopic("in", new StringSerializer(), new LongSerializer());
        out = driver.createOutputTopic("out", new StringDeserializer(), new LongDeserializer());
        batches = driver.createOutputTopic(application + "-" + SeenEventIds.batchesOf(INDEX) + "-changelog",
                new LongDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        started.forEach(TestDrivers::close);
    }

    @Test
    void shouldWriteTheIdsFirstCountedInACommitAsOneBatch() {
        start("seen-test");
        in.pipeInput("a,b,a,c", 0L, T0);
        in.pipeInput("b,d", 0L, T0.plusSeconds(60));

        assertThat(counted()).containsExactly("a", "b", "c", "d");
        List<KeyValue<Long, byte[]>> written = batches.readKeyValuesToList();
        assertThat(written).extracting(record -> record.key).containsExactly(0L, 1L);
        Batch first = Batch.decode(written.get(0).value);
        assertThat(first.ids()).containsExactly("a", "b", "c");
        assertThat(first.times()).containsOnly(T0.toEpochMilli());
        Batch second = Batch.decode(written.get(1).value);
        assertThat(second.ids()).containsExactly("d");
        assertThat(second.latest()).isEqualTo(T0.plusSeconds(60).toEpochMilli());
        assertThat(first.progress()).isEqualTo(T0.toEpochMilli());
        assertThat(second.progress()).isEqualTo(T0.plusSeconds(60).toEpochMilli());
        assertThat(second.token()).isNotEqualTo(first.token());
        assertThat(driver.producedTopicNames()).noneMatch(topic -> topic.contains(INDEX + "-changelog")
                || topic.contains(INDEX + "-applied"));
    }

    @Test
    void shouldKeepItsProgressThroughALateBatchAndARestart() {
        start("seen-progress-test");
        in.pipeInput("a", 0L, T0.plusSeconds(600));
        in.pipeInput("b", 0L, T0);
        assertThat(dedup.progress()).isEqualTo(T0.plusSeconds(600).toEpochMilli());
        in.pipeInput(INIT_AGAIN, 0L, T0);

        List<KeyValue<Long, byte[]>> written = batches.readKeyValuesToList();
        Batch late = Batch.decode(written.get(1).value);
        assertThat(late.latest()).isEqualTo(T0.toEpochMilli());
        assertThat(late.progress()).isEqualTo(T0.plusSeconds(600).toEpochMilli());
        // read back from the newest batch after the init
        assertThat(dedup.progress()).isEqualTo(T0.plusSeconds(600).toEpochMilli());
    }

    @Test
    void shouldWriteABatchAtOnceWhenItIsFull() {
        start("seen-full-test");
        int count = SeenEventIds.MAX_PER_BATCH + 5;
        in.pipeInput(IntStream.range(0, count).mapToObj(i -> "id-" + i).collect(Collectors.joining(",")), 0L, T0);

        assertThat(counted()).hasSize(count);
        List<KeyValue<Long, byte[]>> written = batches.readKeyValuesToList();
        assertThat(written).extracting(record -> Batch.decode(record.value).ids().size())
                .containsExactly(SeenEventIds.MAX_PER_BATCH, 5);
    }

    @ParameterizedTest(name = "at most {0} ids in memory")
    @ValueSource(ints = {INDEX_ONLY, SeenEventIds.DEFAULT_MAX_LOCATED})
    void shouldKeepLongAndNonAsciiIdsWholeInABatchLargerThanItsFirstBuffer(int maxLocated) {
        start("seen-long-test", maxLocated);
        // 400 ids of 200 characters, 2 UTF-8 bytes each: about 160 KB in one batch
        List<String> ids = IntStream.range(0, 400).mapToObj(i -> String.format("%03d", i) + "é".repeat(197))
                .toList();
        in.pipeInput(String.join(",", ids), 0L, T0);
        in.pipeInput("a,b", 0L, T0.plusSeconds(1));

        List<KeyValue<Long, byte[]>> written = batches.readKeyValuesToList();
        assertThat(written).extracting(record -> Batch.decode(record.value).ids())
                .containsExactly(ids, List.of("a", "b"));
        assertThat(Batch.decode(written.get(0).value).times()).containsOnly(T0.toEpochMilli());

        // a wiped task with these batches restored knows every one of them
        start("seen-long-wiped-test", maxLocated);
        restore(written);
        in.pipeInput(INIT_AGAIN, 0L, T0);
        in.pipeInput(ids.get(0) + "," + ids.get(399) + ",b,c", 0L, T0.plusSeconds(2));
        assertThat(counted()).containsExactly("c");
    }

    @ParameterizedTest(name = "at most {0} ids in memory")
    @ValueSource(ints = {INDEX_ONLY, SeenEventIds.DEFAULT_MAX_LOCATED})
    void shouldKnowRestoredBatchesOnInit(int maxLocated) {
        List<KeyValue<Long, byte[]>> elsewhere = batchesWrittenElsewhere();

        // a second task with an empty index (a wiped one): its batches are restored, as Kafka Streams would, and it
        // is initialized
        start("seen-wiped-test", maxLocated);
        restore(elsewhere);
        in.pipeInput(INIT_AGAIN, 0L, T0);
        in.pipeInput("a,c,d", 0L, T0);

        assertThat(counted()).containsExactly("d");
        assertThat(batches.readKeyValuesToList()).extracting(record -> record.key).endsWith(2L);
    }

    @ParameterizedTest(name = "at most {0} ids in memory")
    @ValueSource(ints = {INDEX_ONLY, SeenEventIds.DEFAULT_MAX_LOCATED})
    void shouldKnowEveryBatchWhenTheMarkedOneIsNotTheOneItSaw(int maxLocated) {
        List<KeyValue<Long, byte[]>> elsewhere = batchesWrittenElsewhere();

        // this task wrote a batch 0 of its own (x), then ran elsewhere, where batch 0 was written afresh
        start("seen-back-test", maxLocated);
        in.pipeInput("x", 0L, T0);
        restore(elsewhere);
        in.pipeInput(INIT_AGAIN, 0L, T0);
        in.pipeInput("a,b,c,d", 0L, T0);

        assertThat(counted()).containsExactly("x", "d");
    }

    @Test
    void shouldNotLearnTheBatchesTheIndexHasAgainOnInit() {
        start("seen-again-test", INDEX_ONLY);
        in.pipeInput("a", 0L, T0);
        in.pipeInput("b", 0L, T0);
        // batch 0 now says e was counted too; were the batches the index already has read again on init, e would
        // be taken for a duplicate
        KeyValueStore<Long, byte[]> stored = driver.getKeyValueStore(SeenEventIds.batchesOf(INDEX));
        stored.put(0L, withId(stored.get(0L), "e"));
        in.pipeInput(INIT_AGAIN, 0L, T0);
        in.pipeInput("a,e", 0L, T0);

        assertThat(counted()).containsExactly("a", "b", "e");
    }

    @Test
    void shouldHaveTheIndexLearnTheBatchesWrittenWhileTheIdsWereInMemory() {
        start("seen-index-again-test", INDEX_ONLY);
        in.pipeInput("a", 0L, T0);
        // restarted with room for the ids in memory: b and c are not written to the index
        in.pipeInput(RESTART_WITH + 10, 0L, T0);
        assertThat(located()).isEqualTo(1);
        in.pipeInput("b", 0L, T0);
        in.pipeInput("c", 0L, T0);
        // restarted with room for two: the batches hold three, so the index is used, and learns b and c
        in.pipeInput(RESTART_WITH + 2, 0L, T0);
        assertThat(located()).isEqualTo(-1);
        in.pipeInput("a,b,c,d", 0L, T0);

        assertThat(counted()).containsExactly("a", "b", "c", "d");
    }

    @ParameterizedTest(name = "at most {0} ids in memory")
    @ValueSource(ints = {INDEX_ONLY, SeenEventIds.DEFAULT_MAX_LOCATED})
    void shouldDeleteABatchOnceItsIdsArePastTheRetention(int maxLocated) {
        start("seen-expiry-test", maxLocated);
        in.pipeInput("a", 0L, T0);
        in.pipeInput("b", 0L, T0.plus(RETENTION).plusSeconds(30));
        in.pipeInput("c", 0L, T0.plus(RETENTION).plusSeconds(90));

        List<KeyValue<Long, byte[]>> written = batches.readKeyValuesToList();
        // batch 0 is deleted when batch 1 is written, an hour and a half minute later
        assertThat(written).extracting(record -> record.key).containsExactly(0L, 1L, 0L, 2L);
        assertThat(written.get(2).value).isNull();
        KeyValueStore<Long, byte[]> stored = driver.getKeyValueStore(SeenEventIds.batchesOf(INDEX));
        assertThat(stored.get(0L)).isNull();
        assertThat(stored.get(1L)).isNotNull();
        assertThat(counted()).containsExactly("a", "b", "c");
    }

    @Test
    void shouldFillItsLocatorFromTheBatchesOnInitAndFindEveryDuplicate() {
        List<KeyValue<Long, byte[]>> elsewhere = batchesWrittenElsewhere();
        assertThat(located()).isEqualTo(3);

        start("seen-locator-wiped-test");
        restore(elsewhere);
        in.pipeInput(INIT_AGAIN, 0L, T0);
        assertThat(located()).isEqualTo(3);
        // the second d is in the waiting batch
        in.pipeInput("c,d,a,d", 0L, T0);
        // b and d are in written ones
        in.pipeInput("b,d,e", 0L, T0);

        assertThat(counted()).containsExactly("d", "e");
        assertThat(located()).isEqualTo(5);
    }

    @Test
    void shouldDropItsLocatorPastItsBoundAndStillFindEveryDuplicate() {
        start("seen-unlocated-test", 3);
        in.pipeInput("a,b,c", 0L, T0);
        assertThat(located()).isEqualTo(3);
        // past the bound at d: the index learns batch 0 (a, b, c) and the waiting d
        in.pipeInput("d,e", 0L, T0);
        assertThat(located()).isEqualTo(-1);
        in.pipeInput("e,d,c,b,a,f", 0L, T0);
        // on init the batches hold more ids than the locator may: none again
        in.pipeInput(INIT_AGAIN, 0L, T0);
        assertThat(located()).isEqualTo(-1);
        in.pipeInput("a,f,g", 0L, T0);

        assertThat(counted()).containsExactly("a", "b", "c", "d", "e", "f", "g");
    }

    @Test
    void shouldDropItsLocatorPastItsBoundInTheMiddleOfABatch() {
        start("seen-unlocated-waiting-test", 2);
        // past the bound at c, before anything is written: the index learns only the waiting a, b and c
        in.pipeInput("a,b,c,d,a,c", 0L, T0);
        assertThat(located()).isEqualTo(-1);
        in.pipeInput("d,b,e", 0L, T0);

        assertThat(counted()).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void shouldForgetTheIdsOfADeletedBatchInItsLocator() {
        start("seen-locator-expiry-test");
        in.pipeInput("a,b", 0L, T0);
        assertThat(located()).isEqualTo(2);
        // batch 0 (a, b) is past the retention, and deleted when this one is written
        in.pipeInput("c", 0L, T0.plus(RETENTION).plusSeconds(30));
        assertThat(located()).isEqualTo(1);
        in.pipeInput("d", 0L, T0.plus(RETENTION).plusSeconds(90));
        assertThat(located()).isEqualTo(2);
        // a is past the retention and counts again; c does not
        in.pipeInput("a,c", 0L, T0.plus(RETENTION).plusSeconds(91));

        assertThat(counted()).containsExactly("a", "b", "c", "d", "a");
        assertThat(located()).isEqualTo(3);
    }

    /**
     * In memory only: the index, a window store of the retention, does not keep an id put more than the retention
     * behind the latest one (an intake dead-letters such an event, its lateness horizon being at most the retention).
     */
    @Test
    void shouldTellApartTheEventTimesOfAnIdCountedTwice() {
        start("seen-twice-test");
        Instant late = T0.plus(RETENTION.multipliedBy(2));
        // z keeps batch 0 (and so the batches after it) from being deleted
        in.pipeInput("z", 0L, late);
        in.pipeInput("a", 0L, T0);
        // a at T0 is more than the retention before: it counts again, in batch 2
        in.pipeInput("a", 0L, late);
        assertThat(located()).isEqualTo(2);
        // each within the retention of one of them, or of none
        in.pipeInput("a", 0L, T0.plus(RETENTION));
        in.pipeInput("a", 0L, late.plus(RETENTION));
        in.pipeInput("a", 0L, T0.minusSeconds(1));
        in.pipeInput("a", 0L, late.plus(RETENTION).plusMillis(1));
        in.pipeInput("a", 0L, T0.minus(RETENTION).minusMillis(1));

        assertThat(out.readRecordsToList()).extracting(record -> record.key(), record -> record.timestamp())
                .containsExactly(tuple("z", late.toEpochMilli()), tuple("a", T0.toEpochMilli()),
                        tuple("a", late.toEpochMilli()),
                        tuple("a", late.plus(RETENTION).plusMillis(1).toEpochMilli()),
                        tuple("a", T0.minus(RETENTION).minusMillis(1).toEpochMilli()));
    }

    @Test
    void shouldForgetABatchOfAnIdCountedTwiceAndStillFindItInTheOther() {
        start("seen-twice-expiry-test");
        Instant later = T0.plus(RETENTION).plusSeconds(1);
        in.pipeInput("a", 0L, T0);
        // a, more than the retention later, counts again in batch 1; batch 0 is deleted when batch 1 is written
        in.pipeInput("a,b", 0L, later);
        assertThat(located()).isEqualTo(2);
        in.pipeInput("a", 0L, later.plusSeconds(1));
        in.pipeInput("a", 0L, T0.plusSeconds(1));
        // batch 1 goes too, and a with it
        Instant past = later.plus(RETENTION).plusSeconds(2);
        in.pipeInput("c", 0L, past);
        assertThat(located()).isEqualTo(1);
        in.pipeInput("a", 0L, past);

        assertThat(counted()).containsExactly("a", "a", "b", "c", "a");
        assertThat(driver.getKeyValueStore(SeenEventIds.batchesOf(INDEX)).get(0L)).isNull();
    }

    /** The batches of a task elsewhere that counted a and b in one commit, then c. */
    private List<KeyValue<Long, byte[]>> batchesWrittenElsewhere() {
        start("seen-elsewhere-test");
        in.pipeInput("a,b", 0L, T0);
        in.pipeInput("c", 0L, T0);
        return batches.readKeyValuesToList();
    }

    /** The ids the processor's locator holds, or -1 when it has none. */
    private int located() {
        return dedup.seen.located();
    }

    private List<String> counted() {
        return out.readKeyValuesToList().stream().map(record -> record.key).toList();
    }

    private void restore(List<KeyValue<Long, byte[]>> records) {
        KeyValueStore<Long, byte[]> stored = driver.getKeyValueStore(SeenEventIds.batchesOf(INDEX));
        records.forEach(record -> stored.put(record.key, record.value));
    }

    /** {@code batch} with {@code id} added after its own ids (its token kept). */
    private static byte[] withId(byte[] batch, String id) {
        Batch old = Batch.decode(batch);
        byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(batch.length + 8 + 4 + bytes.length).putLong(old.token()).putLong(old.latest())
                .putLong(old.progress()).putInt(old.ids().size() + 1).put(batch, Batch.HEADER, batch.length
                        - Batch.HEADER)
                .putLong(old.latest()).putInt(bytes.length).put(bytes).array();
    }
}
