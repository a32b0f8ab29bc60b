package io.cxpulse.streams.window;

import java.time.Duration;
import java.util.function.Supplier;

import io.cxpulse.streams.state.PendingSums;


import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Adds up additive values per key and minute of event time on the partitions where they arise, and every
 * {@code interval} of wall-clock time sends each sum on once (key: the key; timestamp: the minute's start), so
 * that a repartition carries one record per key and minute with news instead of one per value. The pending sums
 * are {@link PendingSums}: in memory, and written to a logged store once per commit, so exactly as durable as the
 * input offsets they account for.
 *
 * @param <V> the values
 */
public final class MinuteCombiner<V extends BucketWindows.Additive<V>> implements Processor<String, V, String, V> {
    private final PendingSums<V> pending;
    private final Supplier<V> empty;
    private final Duration interval;
    private ProcessorContext<String, V> context;

    /**
     * @param store    the pending sums' store (see {@link PendingSums#addStores}), by {@code minute|key}
     * @param empty    a new empty value
     * @param interval how often to send the sums on
     */
    public MinuteCombiner(String store, Supplier<V> empty, Duration interval) {
        this.pending = new PendingSums<>(store);
        this.empty = empty;
        this.interval = interval;
    }

    @Override
    public void init(ProcessorContext<String, V> context) {
        this.context = context;
        pending.init(context);
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, now -> flush());
    }

    @Override
    public void process(Record<String, V> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        String key = RollingWindow.Bucket.MINUTE.start(record.timestamp()) + "|" + record.key();
        pending.sum(key, k -> empty.get()).addAll(record.value());
    }

    /** Sends every pending sum on and forgets it. */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        pending.drain((key, sum) -> {
            int bar = key.indexOf('|');
            context.forward(new Record<>(key.substring(bar + 1), sum, Long.parseLong(key.substring(0, bar))));
        });
    }
}
