package io.cxpulse.streams.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * The latest value of each key as the stream tasks of this instance report them, and each task's stream time;
 * written by stream threads, read at scrape time. A task that closes takes its values with it.
 *
 * @param <K> what a value is of (a key and a window)
 * @param <V> the value, which the caller must not change after putting it
 */
final class TaskBoard<K, V> {
    private final Map<String, Map<K, V>> board = new ConcurrentHashMap<>();
    private final Map<String, Long> streamTimes = new ConcurrentHashMap<>();

    void put(String task, K key, V value) {
        board.computeIfAbsent(task, t -> new ConcurrentHashMap<>()).put(key, value);
    }

    void streamTime(String task, long streamTime) {
        streamTimes.merge(task, streamTime, Math::max);
    }

    void closed(String task) {
        board.remove(task);
        streamTimes.remove(task);
    }

    /** The latest event time the tasks here have seen, if any. */
    OptionalLong streamTime() {
        return streamTimes.values().stream().mapToLong(Long::longValue).max();
    }

    /** Every task's values, those of one key from several tasks merged (into copies). */
    Map<K, V> merged(UnaryOperator<V> copy, BinaryOperator<V> merge) {
        Map<K, V> all = new HashMap<>();
        board.values().forEach(task -> task.forEach((key, value) -> all.merge(key, copy.apply(value), merge)));
        return all;
    }
}
