package io.cxpulse.streams;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.cxpulse.streams.survey.RollingWindow;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Adds up additive values per key and minute of event time on the partitions where they arise, and every
 * {@code interval} of wall-clock time sends each sum on once (key: the key; timestamp: the minute's start), so
 * that a repartition carries one record per key and minute with news instead of one per value. The pending sums
 * live in a logged store (cached, so written to its changelog once per commit), exactly as durable as the input
 * offsets they account for; a map of the same sums spares reading the store back.
 *
 * @param <V> the values
 */
public final class MinuteCombiner<V extends BucketWindows.Additive<V>> implements Processor<String, V, String, V> {
    private final String store;
    private final Supplier<V> empty;
    private final Duration interval;
    private final Map<String, V> sums = new HashMap<>();
    private ProcessorContext<String, V> context;
    private KeyValueStore<String, V> pending;

    /**
     * @param store    the key-value store of pending sums, by {@code minute|key}
     * @param empty    a new empty value
     * @param interval how often to send the sums on
     */
    public MinuteCombiner(String store, Supplier<V> empty, Duration interval) {
        this.store = store;
        this.empty = empty;
        this.interval = interval;
    }

    @Override
    public void init(ProcessorContext<String, V> context) {
        this.context = context;
        this.pending = context.getStateStore(store);
        try (KeyValueIterator<String, V> restored = pending.all()) {
            restored.forEachRemaining(entry -> sums.put(entry.key, entry.value));
        }
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, now -> flush());
    }

    @Override
    public void process(Record<String, V> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        String key = RollingWindow.Bucket.MINUTE.start(record.timestamp()) + "|" + record.key();
        V sum = sums.computeIfAbsent(key, k -> empty.get()).addAll(record.value());
        pending.put(key, sum);
    }

    /** Sends every pending sum on and forgets it. */
    void flush() {
        if (sums.isEmpty()) {
            return;
        }
        sums.forEach((key, sum) -> {
            int bar = key.indexOf('|');
            context.forward(new Record<>(key.substring(bar + 1), sum, Long.parseLong(key.substring(0, bar))));
            pending.delete(key);
        });
        sums.clear();
    }
}
