package io.cxpulse.streams.window;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.cxpulse.streams.window.RollingWindow.Bucket;

import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Keeps additive values by key in minute and hour buckets of event time, adding each record's value to the buckets
 * that hold its timestamp (one write per bucket size). Every emit interval of wall-clock time it sums the buckets
 * of the keys that changed into the rolling 1h, 24h and 7d windows that end at stream time and hands each sum to
 * its {@link Emitter}, then tells it the current hour by the wall clock (for what must be about now, such as
 * alerts); when the 1h window's end moves, by stream time or by the wall clock, every key is summed again, since
 * buckets have left its windows.
 *
 * @param <V> the value: a sum that can absorb another
 * @param <K> what the emitter forwards
 */
public final class BucketWindows<V extends BucketWindows.Additive<V>, K> implements Processor<String, V, String, K> {

    /** A value that buckets can add up. */
    public interface Additive<V> {
        /** Adds {@code other} into this; returns this. */
        V addAll(V other);
    }

    /** What becomes of the sums, per emit. */
    public interface Emitter<V, K> {
        /** Called once per emit, before the sums, and at init once it is known: the task and its stream time. */
        default void begin(String task, long streamTime, ProcessorContext<String, K> context) {
        }

        /** The sum of {@code key}'s buckets in {@code window}, which ends at {@code end}. */
        void sum(String key, RollingWindow window, long end, V sum, ProcessorContext<String, K> context);

        /**
         * After {@code key}'s sums: the 1h window that is current by the wall clock ends at {@code hourEnd}, whatever
         * stream time is.
         */
        default void now(String key, long hourEnd, ProcessorContext<String, K> context) {
        }

        /** The task no longer runs here. */
        default void closed(String task) {
        }
    }

    private final Map<Bucket, String> stores;
    private final Supplier<V> empty;
    private final Predicate<String> validKey;
    private final java.time.Duration emitInterval;
    private final Emitter<V, K> emitter;
    private final Set<String> dirty = new HashSet<>();
    private final Set<String> known = new HashSet<>();
    private final Map<Bucket, WindowStore<String, V>> buckets = new EnumMap<>(Bucket.class);
    private ProcessorContext<String, K> context;
    private String task;
    private long lastEnd = Long.MIN_VALUE;
    private long lastNowEnd = Long.MIN_VALUE;

    /**
     * @param stores       the window store of each bucket size
     * @param empty        a new empty value
     * @param validKey     which keys to keep (others are dropped: they cannot come from this application)
     * @param emitInterval how often to sum and emit, in wall-clock time
     * @param emitter      what to do with the sums
     */
    public BucketWindows(Map<Bucket, String> stores, Supplier<V> empty, Predicate<String> validKey,
            java.time.Duration emitInterval, Emitter<V, K> emitter) {
        this.stores = Map.copyOf(stores);
        this.empty = empty;
        this.validKey = validKey;
        this.emitInterval = emitInterval;
        this.emitter = emitter;
    }

    @Override
    public void init(ProcessorContext<String, K> context) {
        // Kafka Streams inits the same instance again when it revives a task it closed dirty; the stores then hold
        // what was last committed, and the first emit sends every key's windows again
        dirty.clear();
        known.clear();
        lastEnd = Long.MIN_VALUE;
        lastNowEnd = Long.MIN_VALUE;
        this.context = context;
        this.task = context.taskId().toString();
        for (Bucket bucket : Bucket.values()) {
            buckets.put(bucket, context.getStateStore(stores.get(bucket)));
        }
        try (KeyValueIterator<Windowed<String>, V> all = buckets.get(Bucket.HOUR).all()) {
            all.forEachRemaining(entry -> known.add(entry.key.key()));
        }
        context.schedule(emitInterval, PunctuationType.WALL_CLOCK_TIME, now -> emit());
        if (context.currentStreamTimeMs() >= 0) {
            // known from the committed offsets: the queries answered before the first emit need it
            emitter.begin(task, context.currentStreamTimeMs(), context);
        }
    }

    @Override
    public void process(Record<String, V> record) {
        if (record.key() == null || record.value() == null || !validKey.test(record.key())) {
            return;
        }
        for (Bucket bucket : Bucket.values()) {
            WindowStore<String, V> store = buckets.get(bucket);
            long start = bucket.start(record.timestamp());
            V sum = store.fetch(record.key(), start);
            store.put(record.key(), (sum == null ? empty.get() : sum).addAll(record.value()), start);
        }
        dirty.add(record.key());
        known.add(record.key());
    }

    @Override
    public void close() {
        emitter.closed(task);
    }

    /** Sums and emits the windows of the keys that changed (all of them when the windows moved). */
    void emit() {
        long streamTime = context.currentStreamTimeMs();
        if (streamTime < 0) {
            return;
        }
        emitter.begin(task, streamTime, context);
        long end = RollingWindow.HOUR_1.end(streamTime);
        long nowEnd = RollingWindow.HOUR_1.end(context.currentSystemTimeMs());
        boolean rolled = end != lastEnd || nowEnd != lastNowEnd;
        lastEnd = end;
        lastNowEnd = nowEnd;
        List<String> keys = new ArrayList<>(rolled ? known : dirty);
        for (String key : keys) {
            for (RollingWindow window : RollingWindow.values()) {
                long windowEnd = window.end(streamTime);
                emitter.sum(key, window, windowEnd, sum(buckets.get(window.bucket()), key, window, windowEnd,
                        empty.get()), context);
            }
            emitter.now(key, nowEnd, context);
        }
        dirty.clear();
    }

    /** The sum, into {@code total}, of {@code key}'s buckets in {@code window} ending at {@code end}. */
    public static <V extends Additive<V>> V sum(ReadOnlyWindowStore<String, V> store, String key,
            RollingWindow window, long end, V total) {
        long bucketSize = window.bucket().size().toMillis();
        try (WindowStoreIterator<V> iterator = store.fetch(key,
                Instant.ofEpochMilli(end - window.length().toMillis()), Instant.ofEpochMilli(end - bucketSize))) {
            iterator.forEachRemaining(entry -> total.addAll(entry.value));
        }
        return total;
    }
}
