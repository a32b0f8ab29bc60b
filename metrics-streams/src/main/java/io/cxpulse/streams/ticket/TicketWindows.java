package io.cxpulse.streams.ticket;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.cxpulse.streams.survey.RollingWindow;
import io.cxpulse.streams.survey.RollingWindow.Bucket;

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
 * Keeps the durations of each cell (the key) in minute and hour buckets of event time, adding each one-duration
 * bucket that {@link TicketStates} sends at the time of the event that completed it. Every {@code emitInterval} of
 * wall-clock time it sums the buckets of the cells that changed into the rolling 1h, 24h and 7d windows that end
 * at stream time and reports them; when the 1h window's end moves, every cell is summed again, since buckets have
 * left its windows.
 */
final class TicketWindows implements Processor<String, TicketBucket, Void, Void> {
    static final String NAME = "ticket-windows";

    private final TicketSettings settings;
    private final TicketObserver observer;
    private final Set<String> dirty = new HashSet<>();
    private final Set<String> known = new HashSet<>();
    private final Map<Bucket, WindowStore<String, TicketBucket>> buckets = new EnumMap<>(Bucket.class);
    private ProcessorContext<Void, Void> context;
    private String task;
    private long lastEnd = Long.MIN_VALUE;

    TicketWindows(TicketSettings settings, TicketObserver observer) {
        this.settings = settings;
        this.observer = observer;
    }

    /** The window store of ticket buckets of {@code bucket}'s size; its name is part of the app's contract. */
    static String store(Bucket bucket) {
        return bucket == Bucket.MINUTE ? "ticket-durations-1m" : "ticket-durations-1h";
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.task = context.taskId().toString();
        for (Bucket bucket : Bucket.values()) {
            buckets.put(bucket, context.getStateStore(store(bucket)));
        }
        try (KeyValueIterator<Windowed<String>, TicketBucket> all = buckets.get(Bucket.HOUR).all()) {
            all.forEachRemaining(entry -> known.add(entry.key.key()));
        }
        context.schedule(settings.emitInterval(), PunctuationType.WALL_CLOCK_TIME, now -> emit());
    }

    @Override
    public void process(Record<String, TicketBucket> record) {
        if (TicketCell.parse(record.key()) == null || record.value() == null) {
            return;
        }
        for (Bucket bucket : Bucket.values()) {
            WindowStore<String, TicketBucket> store = buckets.get(bucket);
            long start = bucket.start(record.timestamp());
            TicketBucket sum = store.fetch(record.key(), start);
            store.put(record.key(), (sum == null ? TicketBucket.empty() : sum).addAll(record.value()), start);
        }
        dirty.add(record.key());
        known.add(record.key());
    }

    @Override
    public void close() {
        observer.closed(task);
    }

    /** Sums and reports the windows of the cells that changed (all of them when the windows moved). */
    void emit() {
        long streamTime = context.currentStreamTimeMs();
        if (streamTime < 0) {
            return;
        }
        observer.streamTime(task, streamTime);
        long end = RollingWindow.HOUR_1.end(streamTime);
        boolean rolled = end != lastEnd;
        lastEnd = end;
        List<String> keys = new ArrayList<>(rolled ? known : dirty);
        for (String key : keys) {
            TicketCell cell = TicketCell.parse(key);
            for (RollingWindow window : RollingWindow.values()) {
                long windowEnd = window.end(streamTime);
                observer.window(task, cell, window, windowEnd, sum(buckets.get(window.bucket()), key, window,
                        windowEnd));
            }
        }
        dirty.clear();
    }

    /** The sum of {@code key}'s buckets in {@code window} ending at {@code end}. */
    static TicketBucket sum(ReadOnlyWindowStore<String, TicketBucket> store, String key, RollingWindow window,
            long end) {
        TicketBucket total = TicketBucket.empty();
        long bucketSize = window.bucket().size().toMillis();
        try (WindowStoreIterator<TicketBucket> iterator = store.fetch(key,
                Instant.ofEpochMilli(end - window.length().toMillis()), Instant.ofEpochMilli(end - bucketSize))) {
            iterator.forEachRemaining(entry -> total.addAll(entry.value));
        }
        return total;
    }
}
