package io.cxpulse.streams.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Sums that a processor adds to on every record and sends on from time to time, kept in memory and in a logged
 * key-value store that is exactly as durable as the input offsets they account for: each sum that changed is
 * written to the store once per commit, just before it (through a {@link CommitHook}), not once per record; a sum
 * sent on is deleted from the store. After a restart the sums are read back from the store.
 *
 * @param <V> the sums, changed in place
 */
public final class PendingSums<V> {
    private final String store;
    private final Map<String, Slot<V>> sums = new HashMap<>();
    /** The keys whose sums changed since the last commit. */
    private final List<String> unwritten = new ArrayList<>();
    private final Runnable writer = this::write;
    private KeyValueStore<String, V> pending;

    /** Sums in the store {@code store}, which {@link #addStores} adds. */
    public PendingSums(String store) {
        this.store = store;
    }

    /** Adds the store {@code store} (logged, in memory, without caching) and its commit hook to {@code builder}. */
    public static void addStores(StreamsBuilder builder, String store, Serde<?> values) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(store), Serdes.String(),
                values).withCachingDisabled());
        builder.addStateStore(CommitHook.builder(CommitHook.nameFor(store)));
    }

    /** The names of the stores a processor that keeps pending sums in {@code store} must be connected to. */
    public static String[] stores(String store) {
        return CommitHook.withHook(store);
    }

    /**
     * Reads the sums back from the store and starts writing them before each commit; from the processor's init.
     * Kafka Streams may init a processor again after closing its task dirty (the store then holds what was last
     * committed), so whatever was in memory is dropped first.
     */
    public void init(ProcessorContext<?, ?> context) {
        sums.clear();
        unwritten.clear();
        pending = context.getStateStore(store);
        try (KeyValueIterator<String, V> restored = pending.all()) {
            restored.forEachRemaining(entry -> {
                Slot<V> slot = new Slot<>(entry.value);
                slot.stored = true;
                sums.put(entry.key, slot);
            });
        }
        CommitHook hook = context.getStateStore(CommitHook.nameFor(store));
        hook.beforeCommit(writer);
    }

    /** The sum of {@code key}, new from {@code empty} if there is none, for the caller to add to now. */
    public V sum(String key, Function<String, V> empty) {
        Slot<V> slot = sums.get(key);
        if (slot == null) {
            slot = new Slot<>(empty.apply(key));
            sums.put(key, slot);
        }
        if (!slot.unwritten) {
            slot.unwritten = true;
            unwritten.add(key);
        }
        return slot.sum;
    }

    /** Whether no sum is pending. */
    public boolean isEmpty() {
        return sums.isEmpty();
    }

    /** Hands every sum to {@code each}, then forgets them all. */
    public void drain(BiConsumer<String, V> each) {
        sums.forEach((key, slot) -> {
            each.accept(key, slot.sum);
            if (slot.stored) {
                pending.delete(key);
            }
        });
        sums.clear();
        unwritten.clear();
    }

    private void write() {
        for (String key : unwritten) {
            Slot<V> slot = sums.get(key);
            slot.unwritten = false;
            slot.stored = true;
            pending.put(key, slot.sum);
        }
        unwritten.clear();
    }

    /** A sum, whether it changed since the last commit, and whether the store has it. */
    private static final class Slot<V> {
        final V sum;
        boolean unwritten;
        boolean stored;

        Slot(V sum) {
            this.sum = sum;
        }
    }
}
