package io.cxpulse.streams.query;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cxpulse.avro.Channel;
import io.cxpulse.avro.CxAlert;
import io.cxpulse.avro.SurveyMetric;
import io.cxpulse.common.problem.Answers;
import io.cxpulse.common.problem.Problem;
import io.cxpulse.common.problem.ProblemType;
import io.cxpulse.streams.survey.ScoreHistogram;
import io.cxpulse.streams.survey.SurveyFigures;
import io.cxpulse.streams.survey.SurveySettings;
import io.cxpulse.streams.survey.SurveyTopology;
import io.cxpulse.streams.window.BucketWindows;
import io.cxpulse.streams.window.Dimension;
import io.cxpulse.streams.window.RollingWindow;
import io.javalin.Javalin;
import io.javalin.http.Context;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * The query API over the survey state stores, by interactive queries. A key lives in one instance: a request that
 * reaches another is forwarded to it once, found through the Streams host metadata.
 *
 * <pre>
 * GET /v1/nps   ?window=1h|24h|7d [&amp;segment=] [&amp;channel=] [&amp;touchpoint=] [&amp;at=ISO instant]
 * GET /v1/csat, /v1/ces: the same
 * GET /v1/nps/trend ?window=24h&amp;points=N: the last N windows, oldest first, end to end
 * GET /v1/alerts: the detractor alerts open now, from every instance
 * </pre>
 */
public final class SurveyQueries {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SURVEY_PARAMETERS = Set.of("window", "segment", "channel", "touchpoint", "at",
            "forwarded");
    private static final int MAX_POINTS = 500;
    private static final Instant LATEST_AT = Instant.parse("9999-12-31T23:59:59Z");
    private static final List<String> CHANNELS = Arrays.stream(Channel.values()).map(Channel::name)
            .filter(name -> !name.equals("UNKNOWN")).toList();

    private final KafkaStreams streams;
    private final HostInfo self;
    private final History history;
    private final Peers peers = new Peers();

    /**
     * @param streams    the running application
     * @param self       this instance's {@code application.server}
     * @param buckets    how long the survey buckets are kept
     * @param streamTime the latest event time this instance's tasks have seen, or -1
     */
    public SurveyQueries(KafkaStreams streams, HostInfo self, RollingWindow.Retention buckets,
            LongSupplier streamTime) {
        this.streams = streams;
        this.self = self;
        this.history = new History(buckets, SurveySettings.BUCKETS, streamTime);
    }

    public void routes(Javalin app) {
        app.get("/v1/nps", ctx -> survey(ctx, SurveyMetric.NPS, false));
        app.get("/v1/csat", ctx -> survey(ctx, SurveyMetric.CSAT, false));
        app.get("/v1/ces", ctx -> survey(ctx, SurveyMetric.CES, false));
        app.get("/v1/nps/trend", ctx -> survey(ctx, SurveyMetric.NPS, true));
        app.get("/v1/csat/trend", ctx -> survey(ctx, SurveyMetric.CSAT, true));
        app.get("/v1/ces/trend", ctx -> survey(ctx, SurveyMetric.CES, true));
        app.get("/v1/alerts", this::alerts);
        app.exception(BadParameter.class, (e, ctx) -> Answers.problem(ctx,
                Problem.of(ProblemType.BAD_PARAMETER, e.parameter, e.getMessage())));
        app.exception(InvalidStateStoreException.class, (e, ctx) -> {
            ctx.header("Retry-After", "2");
            Answers.problem(ctx, Problem.of(ProblemType.NOT_READY,
                    "The state stores are being restored or moved between instances: " + e.getMessage()));
        });
    }

    /** A query parameter that is missing, unknown or malformed. */
    static final class BadParameter extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String parameter;

        BadParameter(String parameter, String message) {
            super(message, null, false, false);
            this.parameter = parameter;
        }
    }

    private void survey(Context ctx, SurveyMetric metric, boolean trend) throws IOException, InterruptedException {
        for (String name : ctx.queryParamMap().keySet()) {
            if (!SURVEY_PARAMETERS.contains(name) && !(trend && name.equals("points"))) {
                throw new BadParameter(name, name + " is not a parameter of " + ctx.path());
            }
        }
        RollingWindow window = RollingWindow.of(param(ctx, "window", "1h")).orElseThrow(() ->
                new BadParameter("window", "window must be 1h, 24h or 7d, not '" + ctx.queryParam("window") + "'"));
        String channel = ctx.queryParam("channel");
        if (channel != null && !CHANNELS.contains(channel)) {
            throw new BadParameter("channel", "channel must be one of " + String.join(", ", CHANNELS) + ", not '"
                    + channel + "'");
        }
        Dimension dimension = Dimension.of(ctx.queryParam("segment"), channel,
                ctx.queryParam("touchpoint")).orElseThrow(() -> new BadParameter("touchpoint",
                "touchpoint is kept on its own: it cannot be combined with segment or channel"));
        Long at = at(ctx);
        int points = trend ? points(ctx) : 1;
        long end = window.end(history.time(at));
        history.check(window, end - points * window.length().toMillis(), trend ? "points" : "at");
        String key = dimension.key(metric);
        String store = window.bucket().store();
        KeyQueryMetadata metadata = streams.queryMetadataForKey(store, key, Serdes.String().serializer());
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
            throw new InvalidStateStoreException("no instance hosts " + key + " right now");
        }
        if (!metadata.activeHost().equals(self)) {
            forward(ctx, metadata.activeHost());
            return;
        }
        ReadOnlyWindowStore<String, ScoreHistogram> buckets = streams.store(StoreQueryParameters
                .fromNameAndType(store, QueryableStoreTypes.<String, ScoreHistogram>windowStore())
                .withPartition(metadata.partition()));
        if (!trend) {
            Answers.json(ctx, 200, figures(metric, dimension, window, end,
                    BucketWindows.sum(buckets, key, window, end, ScoreHistogram.empty(metric))));
            return;
        }
        List<Map<String, Object>> series = new ArrayList<>();
        for (int i = points - 1; i >= 0; i--) {
            long pointEnd = end - i * window.length().toMillis();
            series.add(figures(metric, dimension, window, pointEnd, BucketWindows.sum(buckets, key, window, pointEnd,
                    ScoreHistogram.empty(metric))));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("metric", metric.name());
        body.put("window", window.label());
        body.put("dimension", dimension.values());
        body.put("points", series);
        Answers.json(ctx, 200, body);
    }

    /** The figures of one window, under the names of the query API. */
    static Map<String, Object> figures(SurveyMetric metric, Dimension dimension, RollingWindow window, long end,
            ScoreHistogram histogram) {
        SurveyFigures figures = histogram.figures();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("metric", metric.name());
        body.put("dimension", dimension.values());
        body.put("window", window.label());
        body.put("windowStart", Instant.ofEpochMilli(end - window.length().toMillis()).toString());
        body.put("windowEnd", Instant.ofEpochMilli(end).toString());
        body.put("n", figures.responses());
        switch (metric) {
            case NPS -> {
                body.put("promoters", figures.promoters());
                body.put("passives", figures.passives());
                body.put("detractors", figures.detractors());
                body.put("nps", figures.nps());
                body.put("marginOfError", figures.marginOfError());
            }
            case CSAT -> body.put("csat", figures.csatRatio());
            case CES -> {
                body.put("cesMean", figures.cesMean());
                body.put("cesEasyRatio", figures.cesEasyRatio());
            }
            default -> {
            }
        }
        body.put("thinSample", figures.thinSample());
        return body;
    }

    private void alerts(Context ctx) throws IOException, InterruptedException {
        List<Map<String, Object>> open = new ArrayList<>(localAlerts());
        if (ctx.queryParam("forwarded") == null) {
            for (StreamsMetadata instance : streams.streamsMetadataForStore(SurveyTopology.ALERT_STORE)) {
                if (!instance.hostInfo().equals(self)) {
                    // not silently partial: an instance that does not answer makes it a 503, and the caller asks again
                    peers.answer(instance.hostInfo(), "/v1/alerts?forwarded=true", "alerts").path("alerts")
                            .forEach(alert -> open.add(JSON.convertValue(alert, Map.class)));
                }
            }
        }
        Answers.json(ctx, 200, Map.of("alerts", open));
    }

    private List<Map<String, Object>> localAlerts() {
        ReadOnlyKeyValueStore<String, CxAlert> store = streams.store(StoreQueryParameters.fromNameAndType(
                SurveyTopology.ALERT_STORE, QueryableStoreTypes.<String, CxAlert>keyValueStore()));
        List<Map<String, Object>> alerts = new ArrayList<>();
        try (KeyValueIterator<String, CxAlert> all = store.all()) {
            all.forEachRemaining(entry -> {
                CxAlert alert = entry.value;
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("alertId", alert.getAlertId());
                body.put("kind", alert.getKind().name());
                body.put("dimension", alert.getDimension());
                body.put("state", alert.getState().name());
                body.put("severity", alert.getSeverity());
                body.put("observed", alert.getObserved());
                body.put("baseline", alert.getBaseline());
                body.put("evidence", alert.getEvidence());
                body.put("sampleSize", alert.getSampleSize());
                body.put("window", alert.getWindow());
                body.put("windowStart", alert.getWindowStart().toString());
                body.put("windowEnd", alert.getWindowEnd().toString());
                alerts.add(body);
            });
        }
        return alerts;
    }

    private void forward(Context ctx, HostInfo owner) throws InterruptedException {
        if (ctx.queryParam("forwarded") != null) {
            throw new InvalidStateStoreException("the key moved while the request was forwarded");
        }
        String query = ctx.queryString() == null ? "" : ctx.queryString() + "&";
        HttpResponse<String> response = peers.get(owner, ctx.path() + "?" + query + "forwarded=true");
        // the owner's answer as it is, a 503's Retry-After included
        response.headers().firstValue("Retry-After").ifPresent(value -> ctx.header("Retry-After", value));
        ctx.status(response.statusCode()).contentType(response.headers().firstValue("Content-Type")
                .orElse("application/json")).result(response.body());
    }

    static String param(Context ctx, String name, String fallback) {
        String value = ctx.queryParam(name);
        return value == null ? fallback : value;
    }

    static Long at(Context ctx) {
        String text = ctx.queryParam("at");
        if (text == null) {
            return null;
        }
        try {
            Instant at = Instant.parse(text);
            if (at.isBefore(Instant.EPOCH) || at.isAfter(LATEST_AT)) {
                throw new BadParameter("at", "at must be between 1970-01-01T00:00:00Z and " + LATEST_AT + ", not '"
                        + text + "'");
            }
            return at.toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new BadParameter("at", "at must be an ISO-8601 instant such as 2026-11-20T10:15:30Z, not '" + text
                    + "'");
        }
    }

    private static int points(Context ctx) {
        String text = param(ctx, "points", "24");
        try {
            int points = Integer.parseInt(text);
            if (points >= 1 && points <= MAX_POINTS) {
                return points;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadParameter("points", "points must be a whole number from 1 to " + MAX_POINTS + ", not '" + text
                + "'");
    }
}
