package io.cxpulse.streams;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import com.carrotsearch.hppc.BitMixer;
import com.carrotsearch.hppc.LongIntHashMap;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The eventIds an intake has counted, for deduplication, made durable in batches: one changelog record per commit
 * (at most {@value #MAX_PER_BATCH} ids each), not one per event.
 *
 * <p>Three stores, named after the index:
 * <ul>
 *   <li>the <b>index</b> ({@code <name>}): a RocksDB window store of eventId to event time, kept for the
 *       retention, <em>not</em> logged; every lookup and every new id goes here;</li>
 *   <li>the <b>batches</b> ({@code <name>-batches}): a logged key-value store without caching, of batch number to
 *       the ids first counted in one commit (and their event times); this is what the changelog holds and what a
 *       restore brings back; a batch all of whose ids are past the retention is deleted;</li>
 *   <li>the <b>marker</b> ({@code <name>-applied}): not logged; the last batch the index is known to hold.</li>
 * </ul>
 * The ids counted since the last commit are in the index at once and in memory; they are written as one batch
 * just before the commit (through a {@link CommitHook}), or as soon as {@value #MAX_PER_BATCH} are waiting.
 *
 * <p>In front of the index, a <b>filter</b> in memory: for each 64-bit hash of a counted id's UTF-8 bytes, how
 * many ids of the batches (written or waiting) have it. It is complete (filled from every batch on init, added to
 * on every new id, taken from when a batch is deleted), so an id whose hash it lacks was not counted within the
 * retention and {@link #contains} answers without reading RocksDB; only a hash it has (a duplicate, or a rare
 * collision) is looked up in the index. Its memory is bounded: past {@value #MAX_FILTERED} ids an index drops its
 * filter until its next init and looks every id up, as without one. It changes nothing that is stored.
 *
 * <p>Why the index can be trusted. Under exactly-once, Kafka Streams keeps a task's local state only after a
 * clean close (which commits first); after a crash or a dirty close it wipes the whole task directory, the
 * unlogged index and marker included, and restores the logged stores from their changelogs. So the index never
 * holds an id that was not committed; it can only <em>lack</em> ids: after a wipe, or when the task ran
 * elsewhere in between (the batches were restored, the index was not). So init adds to the index every batch
 * after the marker's, or every batch when the marker's batch is gone or is not the one the marker saw (each
 * batch carries a random token); adding an id again is harmless. Under at-least-once the index, like the logged
 * window store it replaces, may hold ids of events whose offsets were not committed, and those events are then
 * dropped as duplicates when they are read again.
 *
 * <p>Not thread-safe: one instance per processor, used on its stream thread.
 */
public final class SeenEventIds {
    /** The most ids one batch holds, so that a batch record stays far below the producer's request size. */
    public static final int MAX_PER_BATCH = 1_000;
    private static final String MARKER_KEY = "applied";
    /** Batch header: token, the latest event time in it, the id count. */
    private static final int HEADER = Long.BYTES + Long.BYTES + Integer.BYTES;
    /**
     * The most ids a filter holds (12 bytes a slot, 2^19 slots: about 6 MB a task); past it the index does without
     * one.
     */
    public static final int MAX_FILTERED = 250_000;

    private final String name;
    private final Duration retention;
    /**
     * The batch being filled: its header left blank until it is written, then per id its event time, length and
     * UTF-8 bytes, appended as the id is counted (while its string is still in the CPU's caches).
     */
    private ByteBuffer unwritten = emptyBatch(64 * 1024);
    private int unwrittenCount;
    private final Runnable writer = this::write;
    private ProcessorContext<?, ?> context;
    private WindowStore<String, Long> index;
    private KeyValueStore<Long, byte[]> batches;
    private KeyValueStore<String, byte[]> marker;
    private long nextBatch;
    private long oldestBatch;
    private long unwrittenLatest;
    private final int maxFiltered;
    /** Per hash of a counted id, how many ids of the batches have it; {@code null} while the index has no filter. */
    private LongIntHashMap filter;
    /** The id last asked about, its UTF-8 bytes and their hash, which {@link #add} reuses after {@link #contains}. */
    private String lastAsked;
    private byte[] lastAskedBytes;
    private long lastAskedHash;

    /** The ids of the index store {@code name}, which {@link #addStores} adds, remembered for {@code retention}. */
    public SeenEventIds(String name, Duration retention) {
        this(name, retention, MAX_FILTERED);
    }

    /** As {@link #SeenEventIds(String, Duration)}, with a filter of at most {@code maxFiltered} ids. */
    SeenEventIds(String name, Duration retention, int maxFiltered) {
        this.name = name;
        this.retention = retention;
        this.maxFiltered = maxFiltered;
    }

    /** Adds the index {@code name}, its batches, its marker and the batches' commit hook to {@code builder}. */
    public static void addStores(StreamsBuilder builder, String name, Duration retention) {
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(name, retention, retention,
                false), Serdes.String(), Serdes.Long()).withLoggingDisabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(batchesOf(name)),
                Serdes.Long(), Serdes.ByteArray()).withCachingDisabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(markerOf(name)),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled());
        builder.addStateStore(CommitHook.builder(CommitHook.nameFor(batchesOf(name))));
    }

    /** The stores a processor that uses the index {@code name} must be connected to. */
    public static String[] stores(String name) {
        return new String[] {name, batchesOf(name), markerOf(name), CommitHook.nameFor(batchesOf(name))};
    }

    /** The logged store of batches of the index {@code name}. */
    public static String batchesOf(String name) {
        return name + "-batches";
    }

    static String markerOf(String name) {
        return name + "-applied";
    }

    /**
     * Starts, from the processor's init (after Kafka Streams restored the batches): drops what was waiting (Kafka
     * Streams may init a processor again after closing its task dirty), then brings the index up to the batches
     * and fills the filter from them.
     */
    public void init(ProcessorContext<?, ?> context) {
        this.context = context;
        unwritten.position(HEADER);
        unwrittenCount = 0;
        unwrittenLatest = Long.MIN_VALUE;
        index = context.getStateStore(name);
        batches = context.getStateStore(batchesOf(name));
        marker = context.getStateStore(markerOf(name));
        catchUp();
        CommitHook hook = context.getStateStore(CommitHook.nameFor(batchesOf(name)));
        hook.beforeCommit(writer);
    }

    /** Whether {@code eventId} was counted with an event time within the retention of {@code eventTime}. */
    public boolean contains(String eventId, long eventTime) {
        if (filter != null && filter.get(hashOf(eventId)) == 0) {
            return false;
        }
        long span = retention.toMillis();
        try (WindowStoreIterator<Long> earlier = index.fetch(eventId, Math.max(0, eventTime - span),
                eventTime + span)) {
            return earlier.hasNext();
        }
    }

    /** Remembers {@code eventId}, counted now with {@code eventTime}; it is in a batch before the next commit. */
    public void add(String eventId, long eventTime) {
        index.put(eventId, eventTime, eventTime);
        byte[] id = utf8(eventId);
        if (unwritten.remaining() < Long.BYTES + Integer.BYTES + id.length) {
            ByteBuffer larger = emptyBatch(2 * unwritten.capacity() + id.length);
            larger.put(unwritten.array(), HEADER, unwritten.position() - HEADER);
            unwritten = larger;
        }
        unwritten.putLong(eventTime).putInt(id.length).put(id);
        if (filter != null) {
            filter.addTo(hashOf(eventId), 1);
            if (filter.size() > maxFiltered) {
                filter = null;
            }
        }
        unwrittenCount++;
        unwrittenLatest = Math.max(unwrittenLatest, eventTime);
        if (unwrittenCount >= MAX_PER_BATCH) {
            write();
        }
    }

    private void write() {
        if (unwrittenCount == 0) {
            return;
        }
        long token = ThreadLocalRandom.current().nextLong();
        long number = nextBatch++;
        byte[] batch = Arrays.copyOf(unwritten.array(), unwritten.position());
        ByteBuffer.wrap(batch).putLong(token).putLong(unwrittenLatest).putInt(unwrittenCount);
        batches.put(number, batch);
        marker.put(MARKER_KEY, ByteBuffer.allocate(2 * Long.BYTES).putLong(number).putLong(token).array());
        unwritten.position(HEADER);
        unwrittenCount = 0;
        unwrittenLatest = Long.MIN_VALUE;
        expire();
    }

    /** Deletes the oldest batches whose ids are all past the retention (the index forgets them by itself). */
    private void expire() {
        long horizon = context.currentStreamTimeMs() - retention.toMillis();
        List<Long> expired = new ArrayList<>();
        try (KeyValueIterator<Long, byte[]> oldest = batches.range(oldestBatch, null)) {
            while (oldest.hasNext()) {
                KeyValue<Long, byte[]> batch = oldest.next();
                if (ByteBuffer.wrap(batch.value).getLong(Long.BYTES) >= horizon) {
                    oldestBatch = batch.key;
                    break;
                }
                expired.add(batch.key);
                oldestBatch = batch.key + 1;
                if (filter != null) {
                    forEachId(batch.value, (eventTime, bytes, from, length) -> {
                        long hash = hash(bytes, from, length);
                        if (filter.addTo(hash, -1) <= 0) {
                            filter.remove(hash);
                        }
                    });
                }
            }
        }
        for (Long number : expired) {
            batches.delete(number);
        }
    }

    /**
     * In one pass over the batches: adds to the index the batches after the one the marker says it has (every one
     * when the marker's batch is gone or is not the one it saw), and fills the filter from all of them, which is
     * every id counted within the retention (the waiting ones were dropped by init); no filter when they are more
     * than it may hold.
     */
    private void catchUp() {
        long from = 0;
        byte[] applied = marker.get(MARKER_KEY);
        if (applied != null) {
            ByteBuffer last = ByteBuffer.wrap(applied);
            long number = last.getLong();
            byte[] batch = batches.get(number);
            if (batch != null && ByteBuffer.wrap(batch).getLong() == last.getLong()) {
                from = number + 1;
            }
        }
        LongIntHashMap filling = new LongIntHashMap();
        KeyValue<Long, byte[]> first = null;
        KeyValue<Long, byte[]> newest = null;
        KeyValue<Long, byte[]> added = null;
        try (KeyValueIterator<Long, byte[]> all = batches.all()) {
            while (all.hasNext()) {
                newest = all.next();
                first = first == null ? newest : first;
                boolean missing = newest.key >= from;
                LongIntHashMap counting = filling;
                if (counting == null && !missing) {
                    continue;
                }
                forEachId(newest.value, (eventTime, bytes, offset, length) -> {
                    if (counting != null) {
                        counting.addTo(hash(bytes, offset, length), 1);
                    }
                    if (missing) {
                        index.put(new String(bytes, offset, length, StandardCharsets.UTF_8), eventTime, eventTime);
                    }
                });
                if (missing) {
                    added = newest;
                }
                if (filling != null && filling.size() > maxFiltered) {
                    filling = null;
                }
            }
        }
        filter = filling;
        if (added != null) {
            marker.put(MARKER_KEY, ByteBuffer.allocate(2 * Long.BYTES).putLong(added.key)
                    .putLong(ByteBuffer.wrap(added.value).getLong()).array());
        }
        nextBatch = newest == null ? 0 : newest.key + 1;
        oldestBatch = first == null ? 0 : first.key;
    }

    /** The ids of the filter, or -1 when the index has none: for tests. */
    int filtered() {
        return filter == null ? -1 : filter.size();
    }

    /** An id of a batch: its event time and its UTF-8 bytes, {@code bytes[from, from + length)}. */
    private interface BatchId {
        void accept(long eventTime, byte[] bytes, int from, int length);
    }

    private static void forEachId(byte[] batch, BatchId each) {
        ByteBuffer in = ByteBuffer.wrap(batch).position(HEADER - Integer.BYTES);
        int count = in.getInt();
        for (int i = 0; i < count; i++) {
            long eventTime = in.getLong();
            int length = in.getInt();
            int from = in.position();
            each.accept(eventTime, batch, from, length);
            in.position(from + length);
        }
    }

    /** {@code eventId}'s UTF-8 bytes, encoded once for a contains-then-add of the same id. */
    private byte[] utf8(String eventId) {
        if (eventId != lastAsked) {
            lastAsked = eventId;
            lastAskedBytes = eventId.getBytes(StandardCharsets.UTF_8);
            lastAskedHash = hash(lastAskedBytes, 0, lastAskedBytes.length);
        }
        return lastAskedBytes;
    }

    /** The filter's hash of {@code eventId}, computed once for a contains-then-add of the same id. */
    private long hashOf(String eventId) {
        utf8(eventId);
        return lastAskedHash;
    }

    /** FNV-1a over the bytes, then mixed: a collision costs one lookup in the index, never a wrong answer. */
    private static long hash(byte[] bytes, int from, int length) {
        long hash = 0xcbf29ce484222325L;
        for (int i = from; i < from + length; i++) {
            hash = (hash ^ (bytes[i] & 0xff)) * 0x100000001b3L;
        }
        return BitMixer.mix64(hash);
    }

    private static ByteBuffer emptyBatch(int capacity) {
        return ByteBuffer.allocate(capacity).position(HEADER);
    }
}
