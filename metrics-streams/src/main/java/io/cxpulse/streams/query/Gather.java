package io.cxpulse.streams.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.cxpulse.common.problem.Answers;
import io.cxpulse.streams.window.RollingWindow;
import io.javalin.http.Context;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * A query that every instance answers in part, over a store spread across them by key: this instance reads its own
 * partitions and asks every other instance for its part of the same window (a {@code forwarded} request); the parts
 * make an answer only when together they read every partition once, and otherwise the caller gets a 503
 * ({@link StorePartitions}).
 *
 * <p>Without a time asked for, the window ends at the latest event time that any instance has seen. An instance's
 * own stream time covers only its own tasks: a window ended there would leave out the newer events that the other
 * instances hold, and two instances would answer the same question with different figures.
 *
 * @param <P> a part: what a partition, an instance or all of them sum to
 */
final class Gather<P> {
    /** What a query reads and how its parts travel between instances. */
    interface Parts<P> {
        /** The store the parts are read from. */
        String store();

        /** This instance's partitions of the store, each summed over the window that ends at {@code end}. */
        StorePartitions.Reads<P> read(StorePartitions partitions, long end);

        /** The path and query asking another instance for its part of the window that ends at {@code end}. */
        String forwardedQuery(long end);

        P empty();

        /** Adds {@code part} into {@code into}, which the caller owns. */
        void add(P into, P part);

        /** A part as JSON, for the instance that asked. */
        Object encode(P part);

        /** A part from another instance's {@code partial}, or null if it is not one. */
        P decode(JsonNode partial);
    }

    /** The window's end and the sum of every partition over it. */
    record Answer<P>(long end, P sum) {
    }

    /** Every partition's sum over one window, and the latest event time any instance read has seen (or -1). */
    private record Round<P>(P sum, long latest) {
    }

    private final KafkaStreams streams;
    private final HostInfo self;
    private final History history;
    private final Peers peers = new Peers();
    private final StorePartitions partitions;

    Gather(KafkaStreams streams, HostInfo self, History history) {
        this.streams = streams;
        this.self = self;
        this.history = history;
        this.partitions = new StorePartitions(streams);
    }

    /**
     * The answer for {@code window} ending at {@code at}, or else at the latest event time any instance has seen.
     *
     * @throws InvalidStateStoreException when the instances could not read every partition once (a 503)
     */
    Answer<P> answer(RollingWindow window, Long at, Parts<P> parts) throws IOException, InterruptedException {
        long end = window.end(history.time(at));
        history.check(window, end - window.length().toMillis(), "at");
        Round<P> round = round(end, parts);
        if (at == null && round.latest() >= 0 && window.end(round.latest()) != end) {
            // another instance has seen later events (or this one none yet): ask again for the window that holds them
            end = window.end(round.latest());
            round = round(end, parts);
        }
        return new Answer<>(end, round.sum());
    }

    /**
     * Answers another instance's {@code forwarded} request for the window ending at {@code at}: this instance's
     * part, the partitions it read and its stream time.
     */
    void answerForwarded(Context ctx, RollingWindow window, Long at, Parts<P> parts) {
        long end = window.end(history.time(at));
        history.check(window, end - window.length().toMillis(), "at");
        StorePartitions.Reads<P> reads = parts.read(partitions, end);
        Answers.json(ctx, 200, Map.of("partial", parts.encode(sum(reads, parts)), "partitions", reads.partitions(),
                "streamTime", history.streamTime().getAsLong()));
    }

    private Round<P> round(long end, Parts<P> parts) throws IOException, InterruptedException {
        StorePartitions.Reads<P> reads = parts.read(partitions, end);
        P sum = sum(reads, parts);
        long latest = history.streamTime().getAsLong();
        List<Set<Integer>> read = new ArrayList<>(List.of(reads.partitions()));
        for (StreamsMetadata instance : streams.streamsMetadataForStore(parts.store())) {
            if (!instance.hostInfo().equals(self)) {
                JsonNode answer = peers.answer(instance.hostInfo(), parts.forwardedQuery(end), "partial");
                P part = parts.decode(answer.path("partial"));
                if (part == null) {
                    throw new InvalidStateStoreException("instance " + instance.hostInfo() + " answered no sums");
                }
                parts.add(sum, part);
                read.add(StorePartitions.partitions(answer));
                latest = Math.max(latest, answer.path("streamTime").asLong(-1));
            }
        }
        partitions.requireComplete(parts.store(), read);
        return new Round<>(sum, latest);
    }

    private P sum(StorePartitions.Reads<P> reads, Parts<P> parts) {
        P sum = parts.empty();
        reads.byPartition().values().forEach(part -> parts.add(sum, part));
        return sum;
    }
}
