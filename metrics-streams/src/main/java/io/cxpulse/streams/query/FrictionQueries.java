package io.cxpulse.streams.query;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;

import io.cxpulse.avro.FrictionSignal;
import io.cxpulse.common.problem.Answers;
import io.cxpulse.streams.friction.FrictionBucket;
import io.cxpulse.streams.friction.FrictionBucketSerde;
import io.cxpulse.streams.friction.FrictionSettings;
import io.cxpulse.streams.friction.FrictionTopology;
import io.cxpulse.streams.friction.Touchpoint;
import io.cxpulse.streams.query.SurveyQueries.BadParameter;
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
 * Touchpoints ranked by friction, by interactive queries over every instance (each returns its touchpoints'
 * sums; a touchpoint lives in one task, so sums are never split, but merging keeps that an implementation detail).
 *
 * <pre>
 * GET /v1/friction/top ?window=1h|24h|7d (7d) &amp;limit=1..100 (10) &amp;by=frictionRate|detractorLift
 *     [&amp;at=ISO instant]
 *   {window, windowStart, windowEnd, by, items:[{touchpoint, channel, events, frictionRate, signals:{...},
 *    outcomes:{...}, medianDurationSeconds, channelSwitches, repeatedContacts, repeatedInputJourneys,
 *    detractorLift, liftZ, liftSignificant, responses:{metFriction, passedCleanly}}]}
 * </pre>
 * By frictionRate: the highest rates first, ties by events. By detractorLift: what makes detractors first
 * ({@link FrictionBucket#byDetractorLift}): significant positive lifts, then every other lift from the highest
 * down, a significantly negative one (reported with its negative value) below every positive one; those without a
 * lift (a group with no responses) are left out.
 */
public final class FrictionQueries {
    private static final Set<String> PARAMETERS = Set.of("window", "limit", "by", "at", "forwarded");
    private static final int MAX_LIMIT = 100;

    private final FrictionSettings settings;
    private final FrictionBucketSerde serde = new FrictionBucketSerde();
    private final Gather<Map<String, FrictionBucket>> gather;

    public FrictionQueries(KafkaStreams streams, HostInfo self, LongSupplier streamTime, FrictionSettings settings) {
        this.settings = settings;
        this.gather = new Gather<>(streams, self, new History(settings.buckets(), FrictionSettings.BUCKETS,
                streamTime));
    }

    public void routes(Javalin app) {
        app.get("/v1/friction/top", this::top);
    }

    private void top(Context ctx) throws IOException, InterruptedException {
        for (String name : ctx.queryParamMap().keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw new BadParameter(name, name + " is not a parameter of " + ctx.path());
            }
        }
        RollingWindow window = RollingWindow.of(SurveyQueries.param(ctx, "window", "7d")).orElseThrow(() ->
                new BadParameter("window", "window must be 1h, 24h or 7d, not '" + ctx.queryParam("window") + "'"));
        String by = SurveyQueries.param(ctx, "by", "frictionRate");
        if (!by.equals("frictionRate") && !by.equals("detractorLift")) {
            throw new BadParameter("by", "by must be frictionRate or detractorLift, not '" + by + "'");
        }
        int limit = limit(ctx);
        Long at = SurveyQueries.at(ctx);
        Gather.Parts<Map<String, FrictionBucket>> parts = parts(window);
        if (ctx.queryParam("forwarded") != null) {
            gather.answerForwarded(ctx, window, at, parts);
            return;
        }
        Gather.Answer<Map<String, FrictionBucket>> answer = gather.answer(window, at, parts);
        long end = answer.end();
        Map<String, FrictionBucket> sums = answer.sum();
        List<Map.Entry<String, FrictionBucket>> ranked = new ArrayList<>(sums.entrySet());
        ranked.removeIf(entry -> entry.getValue().events() == 0 && by.equals("frictionRate"));
        if (by.equals("frictionRate")) {
            ranked.sort(Comparator.comparing((Map.Entry<String, FrictionBucket> e) -> e.getValue().frictionRate())
                    .thenComparing(e -> e.getValue().events()).reversed().thenComparing(Map.Entry::getKey));
        } else {
            ranked.removeIf(entry -> entry.getValue().detractorLift() == null);
            ranked.sort(Comparator.comparing(Map.Entry<String, FrictionBucket>::getValue,
                    FrictionBucket.byDetractorLift(settings.liftMinResponses(), settings.liftZ()))
                    .thenComparing(Map.Entry::getKey));
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (Map.Entry<String, FrictionBucket> entry : ranked.subList(0, Math.min(limit, ranked.size()))) {
            items.add(item(Touchpoint.parse(entry.getKey()), entry.getValue()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("window", window.label());
        body.put("windowStart", Instant.ofEpochMilli(end - window.length().toMillis()).toString());
        body.put("windowEnd", Instant.ofEpochMilli(end).toString());
        body.put("by", by);
        body.put("items", items);
        Answers.json(ctx, 200, body);
    }

    /** Each touchpoint's sum over {@code window}, as every instance reads and sends it. */
    private Gather.Parts<Map<String, FrictionBucket>> parts(RollingWindow window) {
        String store = FrictionTopology.bucketStore(window.bucket());
        return new Gather.Parts<>() {
            @Override
            public String store() {
                return store;
            }

            @Override
            public StorePartitions.Reads<Map<String, FrictionBucket>> read(StorePartitions partitions, long end) {
                return partitions.readLocal(store, QueryableStoreTypes.<String, FrictionBucket>windowStore(),
                        buckets -> sums(buckets, window, end));
            }

            @Override
            public String forwardedQuery(long end) {
                return "/v1/friction/top?forwarded=true&window=" + window.label() + "&at=" + Instant.ofEpochMilli(
                        end - 1);
            }

            @Override
            public Map<String, FrictionBucket> empty() {
                return new HashMap<>();
            }

            @Override
            public void add(Map<String, FrictionBucket> into, Map<String, FrictionBucket> part) {
                part.forEach((key, sum) -> into.computeIfAbsent(key, k -> FrictionBucket.empty()).addAll(sum));
            }

            @Override
            public Object encode(Map<String, FrictionBucket> part) {
                Map<String, String> encoded = new LinkedHashMap<>();
                part.forEach((key, sum) -> encoded.put(key, Base64.getEncoder().encodeToString(
                        serde.serializer().serialize("", sum))));
                return encoded;
            }

            @Override
            public Map<String, FrictionBucket> decode(JsonNode partial) {
                if (!partial.isObject()) {
                    return null;
                }
                Map<String, FrictionBucket> part = new HashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = partial.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    part.put(entry.getKey(), serde.deserializer().deserialize("", Base64.getDecoder().decode(
                            entry.getValue().asText())));
                }
                return part;
            }
        };
    }

    private boolean significant(FrictionBucket sum) {
        return sum.liftSignificant(settings.liftMinResponses(), settings.liftZ());
    }

    /** Each touchpoint's sum over the buckets of one partition in the window ending at {@code end}. */
    private static Map<String, FrictionBucket> sums(ReadOnlyWindowStore<String, FrictionBucket> store,
            RollingWindow window, long end) {
        Map<String, FrictionBucket> sums = new HashMap<>();
        try (KeyValueIterator<Windowed<String>, FrictionBucket> all = store.fetchAll(
                Instant.ofEpochMilli(end - window.length().toMillis()),
                Instant.ofEpochMilli(end - window.bucket().size().toMillis()))) {
            while (all.hasNext()) {
                KeyValue<Windowed<String>, FrictionBucket> entry = all.next();
                if (Touchpoint.parse(entry.key.key()) != null) {
                    sums.computeIfAbsent(entry.key.key(), k -> FrictionBucket.empty()).addAll(entry.value);
                }
            }
        }
        return sums;
    }

    private Map<String, Object> item(Touchpoint touchpoint, FrictionBucket sum) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("touchpoint", touchpoint.step());
        item.put("channel", touchpoint.channelLabel());
        item.put("events", sum.events());
        item.put("frictionRate", sum.frictionRate());
        Map<String, Object> signals = new LinkedHashMap<>();
        for (FrictionSignal signal : FrictionBucket.SIGNALS) {
            signals.put(signal.name(), sum.signal(signal));
        }
        item.put("signals", signals);
        item.put("outcomes", Map.of("COMPLETED", sum.completed(), "FAILED", sum.failed(), "ABANDONED",
                sum.abandoned()));
        item.put("medianDurationSeconds", sum.medianDurationSeconds());
        item.put("channelSwitches", sum.channelSwitches());
        item.put("repeatedContacts", sum.repeatedContacts());
        item.put("repeatedInputJourneys", sum.repeatedInputJourneys());
        item.put("detractorLift", sum.detractorLift());
        item.put("liftZ", sum.liftZ());
        item.put("liftSignificant", significant(sum));
        item.put("responses", Map.of("metFriction", sum.frictionResponses(), "passedCleanly",
                sum.cleanResponses()));
        return item;
    }

    private static int limit(Context ctx) {
        String text = SurveyQueries.param(ctx, "limit", "10");
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadParameter("limit", "limit must be a whole number from 1 to " + MAX_LIMIT + ", not '" + text
                + "'");
    }
}
