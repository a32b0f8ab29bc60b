package io.cxpulse.streams.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreType;

/**
 * Reads a store one partition at a time, only where this instance's active task for it runs, and says which
 * partitions it read; a query gathered from every instance is complete only when the instances together read every
 * partition of the store, each once. While tasks move in a rebalance a task can run nowhere for a while: without this
 * check its keys would silently be missing from the answer, which would be wrong rather than late.
 */
final class StorePartitions {
    private final KafkaStreams streams;

    StorePartitions(KafkaStreams streams) {
        this.streams = streams;
    }

    /** What one instance read: a partial result per partition. */
    record Reads<R>(Map<Integer, R> byPartition) {
        Set<Integer> partitions() {
            return byPartition.keySet();
        }
    }

    /**
     * How many partitions every store has: the input topics are co-partitioned (checked at start) and every
     * repartition topic takes their count, so it is the number of partitions in the current assignment.
     */
    int count() {
        int max = -1;
        for (StreamsMetadata client : streams.metadataForAllStreamsClients()) {
            for (TopicPartition partition : client.topicPartitions()) {
                max = Math.max(max, partition.partition());
            }
        }
        if (max < 0) {
            throw new InvalidStateStoreException("no partition is assigned yet");
        }
        return max + 1;
    }

    /** {@code read} of each partition of {@code store} whose active task runs here now. */
    <S, R> Reads<R> readLocal(String store, QueryableStoreType<S> type, Function<S, R> read) {
        Map<Integer, R> results = new TreeMap<>();
        int count = count();
        for (int partition = 0; partition < count; partition++) {
            try {
                results.put(partition, read.apply(streams.store(StoreQueryParameters.fromNameAndType(store, type)
                        .withPartition(partition))));
            } catch (InvalidStateStoreException e) {
                // not active here, or not running now: another instance must have read it
            }
        }
        return new Reads<>(results);
    }

    /** The partitions an instance says it read, from its answer's {@code partitions}. */
    static Set<Integer> partitions(JsonNode answer) {
        Set<Integer> partitions = new TreeSet<>();
        answer.path("partitions").forEach(partition -> partitions.add(partition.asInt()));
        return partitions;
    }

    /** Fails (a 503 to the caller) unless the instances read every partition of {@code store} exactly once. */
    void requireComplete(String store, List<Set<Integer>> readByInstance) {
        int count = count();
        List<Integer> read = new ArrayList<>();
        readByInstance.forEach(read::addAll);
        Set<Integer> all = new TreeSet<>();
        for (int partition = 0; partition < count; partition++) {
            all.add(partition);
        }
        if (read.size() != count || !all.equals(new TreeSet<>(read))) {
            throw new InvalidStateStoreException("the partitions of " + store + " are moving between instances "
                    + "(read " + read + " of " + count + ")");
        }
    }
}
