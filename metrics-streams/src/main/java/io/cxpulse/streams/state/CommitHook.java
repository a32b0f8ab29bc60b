package io.cxpulse.streams.state;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A state store that holds nothing and runs its actions just before each commit of its task, so that a processor
 * can write state that changes on every record to its logged store once per commit instead of once per record.
 *
 * <p>Kafka Streams 4.1 gives a processor no public hook before a commit. Before it flushes a task's producer and
 * commits the task's offsets (or its transaction), it asks each of the task's stores that caches to flush its cache
 * ({@code StreamTask.prepareCommit}, then {@code ProcessorStateManager.flushCache}); that is how its own record
 * caches reach their changelogs in time. This store takes part in the same step through the same interface,
 * {@link CachedStateStore}, which is in an internals package: {@code CommitHookTopologyTest} fails if a Kafka
 * upgrade stops calling it. An action must write only to stores without caching, whose writes go to the
 * changelog at once: a cached store may already have flushed in this commit.
 */
public final class CommitHook implements StateStore, CachedStateStore<Object, Object> {
    private final String name;
    private final Set<Runnable> beforeCommit = new LinkedHashSet<>();
    private volatile boolean open;

    private CommitHook(String name) {
        this.name = name;
    }

    /** The name of the hook that writes to the store {@code store}. */
    public static String nameFor(String store) {
        return store + "-commit-hook";
    }

    /** {@code store} and its hook: the stores a processor that writes to {@code store} before commits uses. */
    public static String[] withHook(String store) {
        return new String[] {store, nameFor(store)};
    }

    /** The builder of a hook named {@code name}, to add to the topology and connect to its processor. */
    public static StoreBuilder<CommitHook> builder(String name) {
        return new Builder(name);
    }

    /**
     * Runs {@code action} on the stream thread before every commit of this task, until the store closes; the same
     * action added twice runs once.
     */
    public void beforeCommit(Runnable action) {
        beforeCommit.add(action);
    }

    @Override
    public void flushCache() {
        for (Runnable action : beforeCommit) {
            action.run();
        }
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<Object, Object> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public void clearCache() {
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        context.register(root, (key, value) -> {
        });
        open = true;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        beforeCommit.clear();
        open = false;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return QueryResult.forUnknownQueryType(query, this);
    }

    @Override
    public Position getPosition() {
        return Position.emptyPosition();
    }

    /** Builds a hook: never logged (it holds nothing), never cached. */
    private record Builder(String name) implements StoreBuilder<CommitHook> {
        @Override
        public StoreBuilder<CommitHook> withCachingEnabled() {
            throw new UnsupportedOperationException("a commit hook holds nothing to cache");
        }

        @Override
        public StoreBuilder<CommitHook> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<CommitHook> withLoggingEnabled(Map<String, String> config) {
            throw new UnsupportedOperationException("a commit hook holds nothing to log");
        }

        @Override
        public StoreBuilder<CommitHook> withLoggingDisabled() {
            return this;
        }

        @Override
        public CommitHook build() {
            return new CommitHook(name);
        }

        @Override
        public Map<String, String> logConfig() {
            return Map.of();
        }

        @Override
        public boolean loggingEnabled() {
            return false;
        }
    }
}
