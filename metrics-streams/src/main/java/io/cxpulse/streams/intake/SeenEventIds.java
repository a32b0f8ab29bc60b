package io.cxpulse.streams.intake;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.cxpulse.streams.state.CommitHook;

import com.carrotsearch.hppc.BitMixer;
import com.carrotsearch.hppc.LongArrayList;
import com.carrotsearch.hppc.LongLongHashMap;
import com.carrotsearch.hppc.LongObjectHashMap;

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
 *   <li>the <b>batches</b> ({@code <name>-batches}): a logged key-value store without caching, of batch number to
 *       the ids first counted in one commit (and their event times); this is what the changelog holds and what a
 *       restore brings back; a batch all of whose ids are past the retention is deleted;</li>
 *   <li>the <b>index</b> ({@code <name>}): a RocksDB window store of eventId to event time, kept for the
 *       retention, <em>not</em> logged, used only when the locator is off (below);</li>
 *   <li>the <b>marker</b> ({@code <name>-applied}): not logged; the last batch the index is known to hold.</li>
 * </ul>
 * The ids counted since the last commit are in memory, appended to the batch being filled; they are written as
 * one batch just before the commit (through a {@link CommitHook}), or as soon as {@value #MAX_PER_BATCH} are
 * waiting.
 *
 * <p><b>The locator.</b> While the batches hold at most {@code maxLocated} ids (a setting per intake task), a map
 * in memory answers where each is: for every 64-bit hash of a counted id's UTF-8 bytes, the batch that holds it
 * (the waiting one included), or, for the rare hash several ids share, their batches. It is complete: filled
 * from every batch on init, added to on every new id, taken from when a batch is deleted. So an id whose hash it
 * lacks was not counted, and {@link #contains} answers at once; for a hash it has, the id is looked for in its
 * batch (the batch last read is kept, so a replay of many duplicates reads each batch once). The index is
 * neither read nor written: a new id costs no RocksDB write beyond its share of the batch. Past
 * {@code maxLocated} ids the locator is dropped until the next init: the index learns the batches it lacks and
 * the waiting ids, and from then on every id is written to it and looked up in it. Its memory: 16 bytes a slot,
 * between three eighths and three quarters full, so 21 to 43 bytes an id ({@code 2^19} slots, 8 MB, for 250,000 ids).
 *
 * <p>Why the index can be trusted when it is used. Under exactly-once, Kafka Streams keeps a task's local state
 * only after a clean close (which commits first); after a crash or a dirty close it wipes the whole task
 * directory, the unlogged index and marker included, and restores the logged stores from their changelogs. So
 * the index never holds an id that was not committed; it can only <em>lack</em> ids: after a wipe, when the task
 * ran elsewhere in between (the batches were restored, the index was not), or when the locator was on (the
 * marker is moved only when the index is written). So when the index is taken up it learns every batch after
 * the marker's, or every batch when the marker's batch is gone or is not the one the marker saw (each batch
 * carries a random token); adding an id again is harmless. Under at-least-once the batches and the index may
 * hold ids of events whose offsets were not committed, and those events are then dropped as duplicates when
 * they are read again.
 *
 * <p>Not thread-safe: one instance per processor, used on its stream thread.
 */
public final class SeenEventIds {
    /** The most ids one batch holds, so that a batch record stays far below the producer's request size. */
    public static final int MAX_PER_BATCH = 1_000;
    /** The default of the most ids an intake task's locator holds. */
    public static final int DEFAULT_MAX_LOCATED = 250_000;
    private static final String MARKER_KEY = "applied";
    /** Batch header: token, the latest event time in it, the progress when it was written, the id count. */
    private static final int HEADER = Long.BYTES + Long.BYTES + Long.BYTES + Integer.BYTES;
    private static final int PROGRESS_AT = 2 * Long.BYTES;
    /** In the locator: the hash is several ids', whose batches are in {@link #shared}. */
    private static final long SEVERAL = -1;
    private static final long NONE = -2;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final String name;
    private final Duration retention;
    private final int maxLocated;
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
    /** The number the waiting batch will be written under. */
    private long nextBatch;
    private long oldestBatch;
    private long unwrittenLatest;
    /** The latest event time of every id counted, written or waiting. */
    private long progress;
    /** Per hash of a counted id, its batch, or {@link #SEVERAL}; {@code null} while the index is used instead. */
    private LongLongHashMap locator;
    /** Per hash several counted ids have, their batches, one entry an id. */
    private LongObjectHashMap<LongArrayList> shared;
    /** The written batch last read for a lookup, and its number ({@link #NONE} when none is kept). */
    private long readNumber = NONE;
    private byte[] readBatch;
    /** The id last asked about, its UTF-8 bytes and their hash, which {@link #add} reuses after {@link #contains}. */
    private String lastAsked;
    private byte[] lastAskedBytes;
    private boolean lastAskedHashed;
    private long lastAskedHash;

    /**
     * The ids of the index store {@code name}, which {@link #addStores} adds, remembered for {@code retention}, with
     * a locator of at most {@code maxLocated} ids (0: always the index).
     */
    public SeenEventIds(String name, Duration retention, int maxLocated) {
        this.name = name;
        this.retention = retention;
        this.maxLocated = checkMaxLocated(maxLocated);
    }

    /**
     * Checks the most ids a locator may hold.
     *
     * @throws IllegalArgumentException when it is negative
     */
    public static int checkMaxLocated(int maxLocated) {
        if (maxLocated < 0) {
            throw new IllegalArgumentException("the eventIds in memory must not be negative, not " + maxLocated);
        }
        return maxLocated;
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
     * Streams may init a processor again after closing its task dirty), then fills the locator from the batches,
     * or, when they hold more ids than it may, brings the index up to them.
     */
    public void init(ProcessorContext<?, ?> context) {
        this.context = context;
        unwritten.position(HEADER);
        unwrittenCount = 0;
        unwrittenLatest = Long.MIN_VALUE;
        readNumber = NONE;
        readBatch = null;
        lastAsked = null;
        index = context.getStateStore(name);
        batches = context.getStateStore(batchesOf(name));
        marker = context.getStateStore(markerOf(name));
        oldestBatch = firstKey(batches.all(), 0);
        nextBatch = firstKey(batches.reverseAll(), -1) + 1;
        byte[] newest = nextBatch > 0 ? batches.get(nextBatch - 1) : null;
        progress = newest == null ? Long.MIN_VALUE : ByteBuffer.wrap(newest).getLong(PROGRESS_AT);
        fillLocator();
        if (locator == null) {
            learn();
        }
        CommitHook hook = context.getStateStore(CommitHook.nameFor(batchesOf(name)));
        hook.beforeCommit(writer);
    }

    /** Whether {@code eventId} was counted with an event time within the retention of {@code eventTime}. */
    public boolean contains(String eventId, long eventTime) {
        long span = retention.toMillis();
        long from = Math.max(0, eventTime - span);
        long to = eventTime + span;
        if (locator == null) {
            try (WindowStoreIterator<Long> earlier = index.fetch(eventId, from, to)) {
                return earlier.hasNext();
            }
        }
        long hash = hashOf(eventId);
        long batch = locator.getOrDefault(hash, NONE);
        if (batch == NONE) {
            return false;
        }
        if (batch != SEVERAL) {
            return holds(batch, lastAskedBytes, from, to);
        }
        LongArrayList in = shared.get(hash);
        for (int i = 0; i < in.size(); i++) {
            if (holds(in.get(i), lastAskedBytes, from, to)) {
                return true;
            }
        }
        return false;
    }

    /** Remembers {@code eventId}, counted now with {@code eventTime}; it is in a batch before the next commit. */
    public void add(String eventId, long eventTime) {
        byte[] id = utf8(eventId);
        if (unwritten.remaining() < Long.BYTES + Integer.BYTES + id.length) {
            ByteBuffer larger = emptyBatch(2 * unwritten.capacity() + id.length);
            larger.put(unwritten.array(), HEADER, unwritten.position() - HEADER);
            unwritten = larger;
        }
        unwritten.putLong(eventTime).putInt(id.length).put(id);
        unwrittenCount++;
        unwrittenLatest = Math.max(unwrittenLatest, eventTime);
        progress = Math.max(progress, eventTime);
        if (locator == null) {
            index.put(eventId, eventTime, eventTime);
        } else {
            locate(hashOf(eventId), nextBatch);
            if (locator.size() > maxLocated) {
                dropLocator();
            }
        }
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
        ByteBuffer.wrap(batch).putLong(token).putLong(unwrittenLatest).putLong(progress).putInt(unwrittenCount);
        batches.put(number, batch);
        if (locator == null) {
            mark(number, token);
        }
        unwritten.position(HEADER);
        unwrittenCount = 0;
        unwrittenLatest = Long.MIN_VALUE;
        expire();
    }

    /**
     * The latest event time of the ids counted (in this task, as of the last commit and since), or
     * {@code Long.MIN_VALUE} before the first: the input's progress, which the retention is measured back from.
     */
    public long progress() {
        return progress;
    }

    /**
     * Deletes the oldest batches whose ids are all past the retention behind the progress (the index forgets them
     * by itself).
     */
    private void expire() {
        long horizon = progress - retention.toMillis();
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
                if (locator != null) {
                    long number = batch.key;
                    forEachId(batch.value, (eventTime, bytes, from, length) ->
                            forget(hash(bytes, from, length), number));
                }
            }
        }
        for (Long number : expired) {
            batches.delete(number);
            if (number == readNumber) {
                readNumber = NONE;
                readBatch = null;
            }
        }
    }

    /** Whether batch {@code number} (the waiting one included) holds {@code id} with an event time in [from, to]. */
    private boolean holds(long number, byte[] id, long from, long to) {
        byte[] batch;
        int end;
        if (number == nextBatch) {
            batch = unwritten.array();
            end = unwritten.position();
        } else {
            if (number != readNumber) {
                readBatch = batches.get(number);
                readNumber = number;
            }
            batch = readBatch;
            if (batch == null) {
                return false;
            }
            end = batch.length;
        }
        return anyId(batch, HEADER, end, (eventTime, bytes, start, length) -> length == id.length
                && eventTime >= from && eventTime <= to && Arrays.equals(bytes, start, start + length, id, 0, length));
    }

    /** Notes in the locator that batch {@code number} holds an id with {@code hash}. */
    private void locate(long hash, long number) {
        int slot = locator.indexOf(hash);
        if (!locator.indexExists(slot)) {
            locator.indexInsert(slot, hash, number);
            return;
        }
        long was = locator.indexGet(slot);
        if (was == SEVERAL) {
            shared.get(hash).add(number);
        } else {
            locator.indexReplace(slot, SEVERAL);
            shared.put(hash, LongArrayList.from(was, number));
        }
    }

    /** Notes that batch {@code number}, which held an id with {@code hash}, is gone. */
    private void forget(long hash, long number) {
        int slot = locator.indexOf(hash);
        if (!locator.indexExists(slot)) {
            return;
        }
        long was = locator.indexGet(slot);
        if (was == SEVERAL) {
            LongArrayList in = shared.get(hash);
            in.removeFirst(number);
            if (in.size() == 1) {
                locator.indexReplace(slot, in.get(0));
                shared.remove(hash);
            }
        } else if (was == number) {
            locator.indexRemove(slot);
        }
    }

    /** Fills the locator from every batch (the waiting ones were dropped by init), or leaves none past the bound. */
    private void fillLocator() {
        locator = null;
        shared = null;
        if (maxLocated == 0) {
            return;
        }
        locator = new LongLongHashMap();
        shared = new LongObjectHashMap<>();
        try (KeyValueIterator<Long, byte[]> all = batches.all()) {
            while (all.hasNext()) {
                KeyValue<Long, byte[]> batch = all.next();
                long number = batch.key;
                forEachId(batch.value, (eventTime, bytes, from, length) -> locate(hash(bytes, from, length), number));
                if (locator.size() > maxLocated) {
                    locator = null;
                    shared = null;
                    return;
                }
            }
        }
    }

    /** Past the locator's bound: the index learns what it lacks, the waiting ids included, and is used instead. */
    private void dropLocator() {
        locator = null;
        shared = null;
        readNumber = NONE;
        readBatch = null;
        learn();
        forEachId(unwritten.array(), HEADER, unwritten.position(), (eventTime, bytes, from, length) ->
                index.put(new String(bytes, from, length, StandardCharsets.UTF_8), eventTime, eventTime));
    }

    /**
     * Adds to the index the written batches after the one the marker says it has (every one when the marker's
     * batch is gone or is not the one it saw), and marks the newest.
     */
    private void learn() {
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
        KeyValue<Long, byte[]> added = null;
        try (KeyValueIterator<Long, byte[]> missing = batches.range(from, null)) {
            while (missing.hasNext()) {
                added = missing.next();
                forEachId(added.value, (eventTime, bytes, offset, length) ->
                        index.put(new String(bytes, offset, length, StandardCharsets.UTF_8), eventTime, eventTime));
            }
        }
        if (added != null) {
            mark(added.key, ByteBuffer.wrap(added.value).getLong());
        }
    }

    private void mark(long number, long token) {
        marker.put(MARKER_KEY, ByteBuffer.allocate(2 * Long.BYTES).putLong(number).putLong(token).array());
    }

    /** The ids of the locator, or -1 when the index is used instead: for tests. */
    int located() {
        return locator == null ? -1 : locator.size();
    }

    private static long firstKey(KeyValueIterator<Long, byte[]> iterator, long otherwise) {
        try (iterator) {
            return iterator.hasNext() ? iterator.peekNextKey() : otherwise;
        }
    }

    /** An id of a batch: its event time and its UTF-8 bytes, {@code bytes[from, from + length)}. */
    private interface BatchId {
        void accept(long eventTime, byte[] bytes, int from, int length);
    }

    /** As {@link BatchId}, answering whether the id is the one looked for. */
    private interface BatchIdTest {
        boolean test(long eventTime, byte[] bytes, int from, int length);
    }

    private static void forEachId(byte[] batch, BatchId each) {
        forEachId(batch, HEADER, batch.length, each);
    }

    /** The ids of {@code batch} in {@code [from, end)}, which starts at an id. */
    private static void forEachId(byte[] batch, int from, int end, BatchId each) {
        anyId(batch, from, end, (eventTime, bytes, start, length) -> {
            each.accept(eventTime, bytes, start, length);
            return false;
        });
    }

    /** Whether an id of {@code batch} in {@code [from, end)} passes {@code test}, in order, stopping at the first. */
    private static boolean anyId(byte[] batch, int from, int end, BatchIdTest test) {
        ByteBuffer in = ByteBuffer.wrap(batch);
        for (int at = from; at < end; ) {
            long eventTime = in.getLong(at);
            int length = in.getInt(at + Long.BYTES);
            int start = at + Long.BYTES + Integer.BYTES;
            if (test.test(eventTime, batch, start, length)) {
                return true;
            }
            at = start + length;
        }
        return false;
    }

    /** {@code eventId}'s UTF-8 bytes, encoded once for a contains-then-add of the same id. */
    private byte[] utf8(String eventId) {
        if (eventId != lastAsked) {
            lastAsked = eventId;
            lastAskedBytes = eventId.getBytes(StandardCharsets.UTF_8);
            lastAskedHashed = false;
        }
        return lastAskedBytes;
    }

    /** The locator's hash of {@code eventId}, computed once for a contains-then-add of the same id. */
    private long hashOf(String eventId) {
        byte[] bytes = utf8(eventId);
        if (!lastAskedHashed) {
            lastAskedHash = hash(bytes, 0, bytes.length);
            lastAskedHashed = true;
        }
        return lastAskedHash;
    }

    /**
     * A 64-bit hash of the bytes, eight at a time, then mixed: a collision costs a look into one more batch, never a
     * wrong answer. It is not stored: the locator is filled afresh on every init.
     */
    static long hash(byte[] bytes, int from, int length) {
        long hash = 0x9E3779B97F4A7C15L ^ length;
        int end = from + length;
        int i = from;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            hash = Long.rotateLeft(hash ^ (long) LONGS.get(bytes, i) * 0xC2B2AE3D27D4EB4FL, 31) * 0x9E3779B97F4A7C15L;
        }
        long tail = 0;
        for (int shift = 0; i < end; i++, shift += Byte.SIZE) {
            tail |= (bytes[i] & 0xffL) << shift;
        }
        return BitMixer.mix64(Long.rotateLeft(hash ^ tail * 0xC2B2AE3D27D4EB4FL, 31) * 0x9E3779B97F4A7C15L);
    }

    private static ByteBuffer emptyBatch(int capacity) {
        return ByteBuffer.allocate(capacity).position(HEADER);
    }
}
