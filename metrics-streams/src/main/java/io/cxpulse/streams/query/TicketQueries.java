package io.cxpulse.streams.query;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;

import io.cxpulse.avro.Channel;
import io.cxpulse.avro.DurationFigures;
import io.cxpulse.avro.TicketPriority;
import io.cxpulse.common.problem.Answers;
import io.cxpulse.streams.query.SurveyQueries.BadParameter;
import io.cxpulse.streams.ticket.TicketBucket;
import io.cxpulse.streams.ticket.TicketBucketSerde;
import io.cxpulse.streams.ticket.TicketCell;
import io.cxpulse.streams.ticket.TicketSettings;
import io.cxpulse.streams.ticket.TicketTopology;
import io.cxpulse.streams.window.DurationSketch;
import io.cxpulse.streams.window.RollingWindow;
import io.javalin.Javalin;
import io.javalin.http.Context;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * Ticket response times by interactive queries. Duration buckets are spread over the instances by cell, so a query
 * merges the matching cells of this instance's stores with the partial sums (sketches, not figures, since
 * quantiles do not add) that every other instance returns for the same query.
 *
 * <pre>
 * GET /v1/response-times ?window=1h|24h|7d [&amp;channel=] [&amp;priority=] [&amp;queue=] [&amp;at=ISO instant]
 *   {window, windowStart, windowEnd, n, firstResponse:{n,p50,p90,p99}, firstResolution:{...},
 *    fullResolution:{...}, reopenRate, oneTouchRate, dimension:{...}}
 * </pre>
 * Durations are seconds. {@code n} is the number of tickets whose latest resolution fell in the window, the
 * denominator of the two rates; each duration has its own {@code n}. A quantile or rate with nothing to compute
 * it from is null.
 */
public final class TicketQueries {
    private static final Set<String> PARAMETERS = Set.of("window", "channel", "priority", "queue", "at",
            "forwarded");
    private static final int MAX_QUEUE = 200;
    private static final List<String> CHANNELS = Arrays.stream(Channel.values()).map(Channel::name)
            .filter(name -> !name.equals("UNKNOWN")).toList();
    private static final List<String> PRIORITIES = Arrays.stream(TicketPriority.values()).map(TicketPriority::name)
            .filter(name -> !name.equals("UNKNOWN")).toList();

    private final TicketBucketSerde serde = new TicketBucketSerde();
    private final Gather<TicketBucket> gather;

    /**
     * @param streams    the running application
     * @param self       this instance's {@code application.server}
     * @param buckets    how long the ticket buckets are kept
     * @param streamTime the latest event time this instance's ticket tasks have seen, or -1
     */
    public TicketQueries(KafkaStreams streams, HostInfo self, RollingWindow.Retention buckets,
            LongSupplier streamTime) {
        this.gather = new Gather<>(streams, self, new History(buckets, TicketSettings.BUCKETS, streamTime));
    }

    public void routes(Javalin app) {
        app.get("/v1/response-times", this::responseTimes);
    }

    /** A query's slice of the cells, and its window. */
    record Slice(RollingWindow window, Channel channel, TicketPriority priority, String queue) {
        Map<String, Object> dimension() {
            Map<String, Object> dimension = new LinkedHashMap<>();
            if (channel != null) {
                dimension.put("channel", channel.name());
            }
            if (priority != null) {
                dimension.put("priority", priority.name());
            }
            if (queue != null) {
                dimension.put("queue", queue);
            }
            return dimension;
        }
    }

    private void responseTimes(Context ctx) throws IOException, InterruptedException {
        Slice asked = slice(ctx);
        Long at = SurveyQueries.at(ctx);
        Gather.Parts<TicketBucket> parts = parts(asked);
        if (ctx.queryParam("forwarded") != null) {
            gather.answerForwarded(ctx, asked.window(), at, parts);
            return;
        }
        Gather.Answer<TicketBucket> answer = gather.answer(asked.window(), at, parts);
        Answers.json(ctx, 200, figures(asked, answer.end(), answer.sum()));
    }

    private Slice slice(Context ctx) {
        for (String name : ctx.queryParamMap().keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw new BadParameter(name, name + " is not a parameter of " + ctx.path());
            }
        }
        RollingWindow window = RollingWindow.of(SurveyQueries.param(ctx, "window", "24h")).orElseThrow(() ->
                new BadParameter("window", "window must be 1h, 24h or 7d, not '" + ctx.queryParam("window") + "'"));
        String channel = ctx.queryParam("channel");
        if (channel != null && !CHANNELS.contains(channel)) {
            throw new BadParameter("channel", "channel must be one of " + String.join(", ", CHANNELS) + ", not '"
                    + channel + "'");
        }
        String priority = ctx.queryParam("priority");
        if (priority != null && !PRIORITIES.contains(priority)) {
            throw new BadParameter("priority", "priority must be one of " + String.join(", ", PRIORITIES)
                    + ", not '" + priority + "'");
        }
        String queue = ctx.queryParam("queue");
        if (queue != null && (queue.isBlank() || queue.length() > MAX_QUEUE)) {
            throw new BadParameter("queue", "queue must be a name of 1 to " + MAX_QUEUE + " characters");
        }
        return new Slice(window, channel == null ? null : Channel.valueOf(channel),
                priority == null ? null : TicketPriority.valueOf(priority), queue);
    }

    /** The sum of the matching cells' buckets in one partition's store, over the window ending at {@code end}. */
    private static TicketBucket sum(ReadOnlyWindowStore<String, TicketBucket> store, Slice slice, long end) {
        RollingWindow window = slice.window();
        TicketBucket sum = TicketBucket.empty();
        long bucketSize = window.bucket().size().toMillis();
        try (KeyValueIterator<Windowed<String>, TicketBucket> all = store.fetchAll(
                Instant.ofEpochMilli(end - window.length().toMillis()),
                Instant.ofEpochMilli(end - bucketSize))) {
            while (all.hasNext()) {
                KeyValue<Windowed<String>, TicketBucket> entry = all.next();
                TicketCell cell = TicketCell.parse(entry.key.key());
                if (cell != null && cell.matches(slice.channel(), slice.priority(), slice.queue())) {
                    sum.addAll(entry.value);
                }
            }
        }
        return sum;
    }

    /** The matching cells' sum over the slice's window, as every instance reads and sends it. */
    private Gather.Parts<TicketBucket> parts(Slice asked) {
        String store = TicketTopology.bucketStore(asked.window().bucket());
        return new Gather.Parts<>() {
            @Override
            public String store() {
                return store;
            }

            @Override
            public StorePartitions.Reads<TicketBucket> read(StorePartitions partitions, long end) {
                return partitions.readLocal(store, QueryableStoreTypes.<String, TicketBucket>windowStore(),
                        buckets -> sum(buckets, asked, end));
            }

            @Override
            public String forwardedQuery(long end) {
                StringBuilder query = new StringBuilder("/v1/response-times?forwarded=true&window=")
                        .append(asked.window().label()).append("&at=").append(Instant.ofEpochMilli(end - 1));
                asked.dimension().forEach((name, value) -> query.append('&').append(name).append('=')
                        .append(URLEncoder.encode(value.toString(), StandardCharsets.UTF_8)));
                return query.toString();
            }

            @Override
            public TicketBucket empty() {
                return TicketBucket.empty();
            }

            @Override
            public void add(TicketBucket into, TicketBucket part) {
                into.addAll(part);
            }

            @Override
            public Object encode(TicketBucket part) {
                return Base64.getEncoder().encodeToString(serde.serializer().serialize("", part));
            }

            @Override
            public TicketBucket decode(JsonNode partial) {
                return partial.isTextual()
                        ? serde.deserializer().deserialize("", Base64.getDecoder().decode(partial.asText())) : null;
            }
        };
    }

    /** The figures of {@code sum} over the window ending at {@code end}, under the names of the query API. */
    static Map<String, Object> figures(Slice slice, long end, TicketBucket sum) {
        Map<String, Object> body = new LinkedHashMap<>();
        RollingWindow window = slice.window();
        body.put("window", window.label());
        body.put("windowStart", Instant.ofEpochMilli(end - window.length().toMillis()).toString());
        body.put("windowEnd", Instant.ofEpochMilli(end).toString());
        body.put("dimension", slice.dimension());
        body.put("n", sum.resolved());
        body.put("firstResponse", quantiles(sum.firstResponse()));
        body.put("firstResolution", quantiles(sum.firstResolution()));
        body.put("fullResolution", quantiles(sum.fullResolution()));
        body.put("reopenRate", sum.reopenRate());
        body.put("oneTouchRate", sum.oneTouchRate());
        return body;
    }

    private static Map<String, Object> quantiles(DurationSketch sketch) {
        DurationFigures figures = sketch.figures();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("n", figures.getN());
        json.put("p50", figures.getP50());
        json.put("p90", figures.getP90());
        json.put("p99", figures.getP99());
        return json;
    }
}
