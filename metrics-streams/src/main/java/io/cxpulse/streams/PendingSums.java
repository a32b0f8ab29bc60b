package io.cxpulse.streams;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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
    private final Map<String, V> sums = new HashMap<>();
    private final Set<String> unwritten = new HashSet<>();
    private final Set<String> written = new HashSet<>();
    private KeyValueStore<String, V> pending;

    /** Sums in the store {@code store}, which {@link #addStores} adds. */
    public PendingSums(String store) {
        this.store = store;
    }

    /** Adds the store {@code store} (logged, in memory, without caching) and its commit hook to {@code builder}. */
    public static void addStores(StreamsBuilder builder, String store, Serde<?> values) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(store), Serdes.String(),
                values).withCachingDisabled());
        builder.addStateStore(CommitHook.builder(hook(store)));
    }

    /** The names of the stores a processor that keeps pending sums in {@code store} must be connected to. */
    public static String[] stores(String store) {
        return new String[] {store, hook(store)};
    }

    private static String hook(String store) {
        return store + "-commit-hook";
    }

    /** Reads the sums back from the store and starts writing them before each commit; from the processor's init. */
    public void init(ProcessorContext<?, ?> context) {
        pending = context.getStateStore(store);
        try (KeyValueIterator<String, V> restored = pending.all()) {
            restored.forEachRemaining(entry -> {
                sums.put(entry.key, entry.value);
                written.add(entry.key);
            });
        }
        CommitHook hook = context.getStateStore(hook(store));
        hook.beforeCommit(this::write);
    }

    /** The sum of {@code key}, new from {@code empty} if there is none, for the caller to add to now. */
    public V sum(String key, Function<String, V> empty) {
        unwritten.add(key);
        return sums.computeIfAbsent(key, empty);
    }

    /** Whether no sum is pending. */
    public boolean isEmpty() {
        return sums.isEmpty();
    }

    /** Hands every sum to {@code each}, then forgets them all. */
    public void drain(BiConsumer<String, V> each) {
        sums.forEach(each);
        for (String key : written) {
            pending.delete(key);
        }
        sums.clear();
        written.clear();
        unwritten.clear();
    }

    private void write() {
        for (String key : unwritten) {
            pending.put(key, sums.get(key));
            written.add(key);
        }
        unwritten.clear();
    }
}
