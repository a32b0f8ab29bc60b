package io.cxpulse.streams.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The values of a logged key-value store that a processor reads and changes on nearly every record, held as
 * objects in memory for the most recently used keys: a value read again is not deserialized again, and a value
 * changed many times between two commits is serialized and written to the store (and its changelog) once, just
 * before the commit (through a {@link CommitHook}). A changed value that has to leave memory before then is
 * written at once. So the store is exactly as durable as the input offsets the values account for, as with Kafka
 * Streams' own record cache, which this replaces (the store must not cache as well).
 *
 * <p>Values are mutable: a caller that changes a value it was given must {@link #put} it, or the change may not
 * reach the store. Not thread-safe: one instance per processor, used on its stream thread.
 *
 * @param <V> the values
 */
public final class WriteBackStore<V> {
    private final String store;
    private final int capacity;
    /** The values in memory, least recently used first. */
    private final Map<String, Held<V>> held = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Held<V>> eldest) {
            if (size() <= capacity) {
                return false;
            }
            writeOut(eldest.getValue());
            return true;
        }
    };
    /** The values changed since the last commit (some may have been written or deleted since). */
    private final List<Held<V>> unwritten = new ArrayList<>();
    private final Runnable writer = this::write;
    private KeyValueStore<String, V> backing;

    /**
     * Values of the store {@code store}, which {@link #addStores} adds, at most {@code capacity} of them in
     * memory (per processor, so per task).
     */
    public WriteBackStore(String store, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("at least one value must fit in memory, not " + capacity);
        }
        this.store = store;
        this.capacity = capacity;
    }

    /** Adds {@code store} (a key-value store) without caching, and its commit hook, to {@code builder}. */
    public static void addStores(StreamsBuilder builder, StoreBuilder<?> store) {
        builder.addStateStore(store.withCachingDisabled());
        builder.addStateStore(CommitHook.builder(CommitHook.nameFor(store.name())));
    }

    /**
     * Starts on the store, from the processor's init. Kafka Streams may init a processor again after closing its
     * task dirty (the store then holds what was last committed), so whatever was in memory is dropped first.
     */
    public void init(ProcessorContext<?, ?> context) {
        held.clear();
        unwritten.clear();
        backing = context.getStateStore(store);
        CommitHook hook = context.getStateStore(CommitHook.nameFor(store));
        hook.beforeCommit(writer);
    }

    /** The value of {@code key}, or null. */
    public V get(String key) {
        Held<V> value = held.get(key);
        if (value != null) {
            return value.value;
        }
        V stored = backing.get(key);
        if (stored != null) {
            held.put(key, new Held<>(key, stored));
        }
        return stored;
    }

    /** Sets the value of {@code key}; it reaches the store before the next commit. */
    public void put(String key, V value) {
        Held<V> entry = held.get(key);
        if (entry == null) {
            entry = new Held<>(key, value);
            held.put(key, entry);
        } else {
            entry.value = value;
        }
        if (!entry.dirty) {
            entry.dirty = true;
            unwritten.add(entry);
        }
    }

    /** Removes {@code key}, from memory and from the store at once. */
    public void delete(String key) {
        Held<V> entry = held.remove(key);
        if (entry != null) {
            entry.dirty = false;
        }
        backing.delete(key);
    }

    /** Every key and value, after writing what changed: for sweeps. The caller must close it. */
    public KeyValueIterator<String, V> all() {
        write();
        return backing.all();
    }

    private void write() {
        for (Held<V> entry : unwritten) {
            writeOut(entry);
        }
        unwritten.clear();
    }

    private void writeOut(Held<V> entry) {
        if (entry.dirty) {
            entry.dirty = false;
            backing.put(entry.key, entry.value);
        }
    }

    /** A value in memory, and whether it changed since it was last written. */
    private static final class Held<V> {
        final String key;
        V value;
        boolean dirty;

        Held(String key, V value) {
            this.key = key;
            this.value = value;
        }
    }
}
