package io.cxpulse.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cxpulse.common.KafkaTopics;
import io.cxpulse.common.ServiceLauncher;
import io.cxpulse.ingest.auth.Source;
import io.cxpulse.ingest.config.IngestConfig;
import io.cxpulse.ingest.http.BodyParser;
import io.cxpulse.ingest.http.BodyParser.BodyException;
import io.cxpulse.ingest.http.Problem;
import io.cxpulse.ingest.http.ResultsBody;
import io.cxpulse.ingest.publish.EventPublisher;
import io.cxpulse.ingest.publish.EventPublisher.Outgoing;
import io.cxpulse.ingest.validation.EventValidator;
import io.cxpulse.ingest.validation.EventValidator.Accepted;
import io.cxpulse.ingest.validation.EventValidator.Rejected;
import io.cxpulse.ingest.validation.EventValidator.Result;
import io.cxpulse.ingest.validation.FieldError;
import io.cxpulse.schemas.registry.SchemaRegistryClient;
import io.cxpulse.schemas.registry.SchemaRegistryClientConfig;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.javalin.Javalin;
import io.javalin.http.Context;

import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest service: authenticated HTTP in, validated Avro events out to Kafka, answered only once Kafka has
 * acknowledged every accepted event.
 */
public final class IngestService implements ServiceLauncher.Service {
    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);
    /** About the size of a small event in JSON, to size an answer's body from the request's. */
    private static final int EXPECTED_EVENT_BYTES = 100;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String START = "cxpulse.start";

    private final IngestConfig config;
    private final Clock clock;
    private final EventValidator validator;
    private final IngestMetrics metrics = new IngestMetrics();
    private final SchemaRegistryClient registry;
    private final EventPublisher publisher;
    private final Admin admin;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicBoolean schemasReady = new AtomicBoolean();
    private final ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "ingest-setup");
        thread.setDaemon(true);
        return thread;
    });
    private final Javalin app;

    private IngestService(IngestConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.validator = new EventValidator(clock, config.maxEventAge(), config.maxClockSkew());
        this.registry = new SchemaRegistryClient(SchemaRegistryClientConfig.fromMap(config.registry()));
        Map<String, Object> adminConfig = KafkaTopics.adminConfig(config.kafka());
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        this.admin = Admin.create(adminConfig);
        this.publisher = new EventPublisher(config.kafka(), registry, config.ackTimeout());
        metrics.bindProducer(publisher.producer());
        this.app = Javalin.create(javalin -> {
            javalin.showJavalinBanner = false;
            javalin.jetty.defaultHost = config.host();
            javalin.jetty.defaultPort = config.port();
            javalin.jetty.modifyServer(server -> server.setStopTimeout(config.shutdownTimeout().toMillis()));
            // Jetty's per-connection header cache matches values case-insensitively by default, so a second
            // request on a kept-alive connection could be handed the first one's Authorization value
            javalin.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
        });
        routes();
    }

    /** Starts serving; registers the schemas and creates missing topics in the background until it succeeds. */
    public static IngestService start(IngestConfig config, Clock clock) {
        IngestService service = new IngestService(config, clock);
        service.background.execute(service::prepare);
        service.app.start();
        LOG.info("Ingest service listening on {} for sources {}", service.url(),
                config.authenticator().sourceNames());
        return service;
    }

    public int port() {
        return app.port();
    }

    public String url() {
        return "http://" + config.host() + ":" + port();
    }

    /** Whether the schemas are registered (the service is ready once Kafka is reachable too). */
    public boolean schemasRegistered() {
        return schemasReady.get();
    }

    /** Stops accepting requests, finishes those in flight, then flushes and closes the producer. */
    @Override
    public void close() {
        LOG.info("Ingest service stopping: finishing requests in flight");
        app.stop();
        background.shutdownNow();
        publisher.close();
        admin.close(Duration.ofSeconds(5));
        metrics.close();
        LOG.info("Ingest service stopped");
    }

    private void prepare() {
        try {
            if (config.createTopics()) {
                KafkaTopics.create(admin, config.topics().values(), config.topicPartitions(), Duration.ofSeconds(10));
            }
            for (EventType type : EventType.values()) {
                Schema schema = type.schema();
                int id = registry.register(config.topics().get(type) + "-value", schema);
                LOG.info("Schema {} registered as id {} under {}-value", schema.getFullName(), id,
                        config.topics().get(type));
            }
            schemasReady.set(true);
        } catch (RuntimeException e) {
            LOG.warn("Not ready yet, retrying in 5 s: {}", e.getMessage());
            background.schedule(this::prepare, 5, TimeUnit.SECONDS);
        }
    }

    private void routes() {
        app.before(ctx -> ctx.attribute(START, System.nanoTime()));
        app.after(this::recordRequest);
        for (EventType type : EventType.values()) {
            app.post("/v1/" + type.path(), ctx -> ingest(ctx, type));
        }
        app.get("/health/live", ctx -> json(ctx, 200, Map.of("status", "UP")));
        app.get("/health/ready", this::ready);
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(metrics.scrape()));
        app.get("/openapi.yaml", this::openApi);
        app.error(404, ctx -> problem(ctx, Problem.notFound(ctx.path())));
        app.error(405, ctx -> problem(ctx, Problem.methodNotAllowed(ctx.method().name(), ctx.path())));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("Unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            problem(ctx, Problem.internal());
        });
    }

    private void ingest(Context ctx, EventType type) {
        Source source = config.authenticator().authenticate(ctx.header("Authorization")).orElse(null);
        if (source == null) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"cxpulse-ingest\"");
            refuse(ctx, type, Problem.unauthorized());
            return;
        }
        if (!source.mayPublish(type)) {
            refuse(ctx, type, Problem.forbidden(source.name(), type.path()));
            return;
        }
        Batch batch = readEvents(ctx, type, source);
        if (batch == null || !withinRate(ctx, type, source, batch.events)) {
            return;
        }
        countRejections(type, batch.rejected);
        metrics.events(type, "rejected", batch.rejected.size());
        if (!batch.outgoing.isEmpty() && !published(ctx, type, batch.outgoing)) {
            return;
        }
        int status = batch.rejected.isEmpty() ? 202 : batch.outgoing.isEmpty() ? 422 : 207;
        // handed to Jetty in one piece, not through Javalin's compressing stream
        ctx.status(status).contentType("application/json").result(batch.body.finish(batch.outgoing.size()));
    }

    /**
     * A request's events as they are read: the accepted ones' records encoded for Kafka, the rejected ones, and
     * the answer's body. Each event is encoded and answered as soon as its result is final, while it is still in
     * the CPU's caches, rather than after the whole body was read; an accepted event's checked values are then
     * dropped, not held until Kafka has acknowledged the request (which kept them alive through young
     * collections).
     */
    private final class Batch implements Consumer<Result> {
        private final String topic;
        private final List<Outgoing> outgoing = new ArrayList<>();
        private final List<Rejected> rejected = new ArrayList<>();
        private final ResultsBody body;
        private int events;

        Batch(EventType type, int expectedEvents) {
            this.topic = config.topics().get(type);
            this.body = new ResultsBody(expectedEvents);
        }

        @Override
        public void accept(Result result) {
            if (result instanceof Accepted accepted) {
                outgoing.add(new Outgoing(topic, accepted.key(), publisher.encode(topic, accepted)));
            } else {
                rejected.add((Rejected) result);
            }
            body.add(result);
        }
    }

    /**
     * The request's events, checked as the body streams past; null when the body was refused as a whole (the
     * problem is already sent). Every event of a request is stamped with one {@code receivedAt}, read as its body
     * starts to be read, which is also the time its {@code occurredAt} is checked against.
     */
    private Batch readEvents(Context ctx, EventType type, Source source) {
        BodyParser.Format format = BodyParser.format(ctx.contentType()).orElse(null);
        if (format == null) {
            refuse(ctx, type, Problem.unsupportedMediaType(ctx.contentType()));
            return null;
        }
        Instant receivedAt = clock.instant();
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = BodyParser.read(in, ctx.req().getContentLengthLong(), config.maxBodyBytes());
            Batch batch = new Batch(type, Math.min(config.maxEvents(), body.length / EXPECTED_EVENT_BYTES + 1));
            batch.events = BodyParser.events(body, format, config.maxEvents(),
                    parser -> validator.validate(type, parser, source.name(), receivedAt),
                    error -> new Rejected(null, List.of(new FieldError("", error, FieldError.Reason.MALFORMED_JSON))),
                    batch);
            return batch;
        } catch (BodyException e) {
            refuse(ctx, type, e.problem());
        } catch (IOException e) {
            refuse(ctx, type, Problem.malformed("The body could not be read to its end: " + e.getMessage()));
        }
        return null;
    }

    /** Counts each rule a rejected event broke. */
    private void countRejections(EventType type, List<Rejected> rejected) {
        for (Rejected event : rejected) {
            event.errors().stream().map(FieldError::reason).distinct()
                    .forEach(reason -> metrics.rejection(type, reason));
        }
    }

    /** Whether Kafka acknowledged every record in time; if not, the 503 is already sent. */
    private boolean published(Context ctx, EventType type, List<Outgoing> outgoing) {
        int unacknowledged = publisher.sendAll(outgoing, config.ackTimeout());
        if (unacknowledged == 0) {
            metrics.events(type, "accepted", outgoing.size());
            return true;
        }
        metrics.events(type, "unavailable", outgoing.size());
        ctx.header("Retry-After", "5");
        refuse(ctx, type, Problem.kafkaUnavailable("Kafka did not acknowledge " + unacknowledged + " of "
                + outgoing.size() + " events within " + config.ackTimeout().toMillis() + " ms; none of this "
                + "request's events may be counted as stored. Retry the request: events that carry an eventId "
                + "are counted once downstream."));
        return false;
    }

    private boolean withinRate(Context ctx, EventType type, Source source, int events) {
        if (config.rateLimit() == 0) {
            return true;
        }
        Bucket bucket = buckets.computeIfAbsent(source.name(), name -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(Math.max(config.rateLimit(), config.maxEvents()))
                        .refillGreedy(config.rateLimit(), Duration.ofSeconds(1)).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(events);
        if (probe.isConsumed()) {
            return true;
        }
        long retryAfter = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill()) + 1);
        ctx.header("Retry-After", Long.toString(retryAfter));
        refuse(ctx, type, Problem.rateLimited(source.name(), retryAfter));
        return false;
    }

    private void ready(Context ctx) {
        Map<String, String> checks = new LinkedHashMap<>();
        boolean kafka;
        try {
            kafka = !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            kafka = false;
        }
        checks.put("kafka", kafka ? "UP" : "DOWN");
        checks.put("schemas", schemasReady.get() ? "UP" : "DOWN");
        boolean up = kafka && schemasReady.get();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", checks);
        json(ctx, up ? 200 : 503, body);
    }

    private void openApi(Context ctx) throws IOException {
        try (InputStream in = IngestService.class.getResourceAsStream("/openapi.yaml")) {
            if (in == null) {
                throw new IOException("openapi.yaml is missing from the jar");
            }
            ctx.contentType("application/yaml").result(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private void refuse(Context ctx, EventType type, Problem problem) {
        metrics.rejection(type.label(), problem.slug());
        problem(ctx, problem);
    }

    private void recordRequest(Context ctx) {
        Long start = ctx.attribute(START);
        if (start == null) {
            return;
        }
        String route;
        try {
            route = ctx.endpointHandlerPath();
        } catch (RuntimeException e) {
            route = "NOT_FOUND";
        }
        if (route == null || route.isEmpty() || route.equals("*")) {
            route = "NOT_FOUND";
        }
        metrics.request(ctx.method().name(), route, ctx.statusCode(), Duration.ofNanos(System.nanoTime() - start));
    }

    private static void problem(Context ctx, Problem problem) {
        try {
            ctx.status(problem.status()).contentType(Problem.MEDIA_TYPE)
                    .result(JSON.writeValueAsString(problem.body(ctx.path())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
