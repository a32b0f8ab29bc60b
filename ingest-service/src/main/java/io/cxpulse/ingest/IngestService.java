package io.cxpulse.ingest;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import io.cxpulse.common.Draining;
import io.cxpulse.common.KafkaTopics;
import io.cxpulse.common.ServiceLauncher;
import io.cxpulse.common.problem.Answers;
import io.cxpulse.common.problem.ProblemException;
import io.cxpulse.ingest.config.IngestConfig;
import io.cxpulse.ingest.http.Problems;
import io.cxpulse.ingest.publish.EventPublisher;
import io.cxpulse.ingest.publish.Preparation;
import io.cxpulse.ingest.validation.EventValidator;
import io.cxpulse.schemas.registry.SchemaRegistryClient;
import io.cxpulse.schemas.registry.SchemaRegistryClientConfig;
import io.javalin.Javalin;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest service: authenticated HTTP in, validated Avro events out to Kafka, answered only once Kafka has
 * acknowledged every accepted event. This class wires the parts and owns their lifecycle; {@link IngestEndpoint}
 * handles ingest requests, {@link OperationsEndpoints} health, metrics and the OpenAPI document, and every refusal
 * is answered as a problem in one place ({@link #routes}).
 */
public final class IngestService implements ServiceLauncher.Service {
    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

    private final IngestConfig config;
    private final IngestMetrics metrics = new IngestMetrics();
    private final EventPublisher publisher;
    private final Admin admin;
    private final Preparation preparation;
    private final IngestEndpoint endpoint;
    private final Javalin app;
    private final Draining draining = new Draining();

    private IngestService(IngestConfig config, Clock clock) {
        this.config = config;
        SchemaRegistryClient registry = new SchemaRegistryClient(SchemaRegistryClientConfig.fromMap(config.registry()));
        Map<String, Object> adminConfig = KafkaTopics.adminConfig(config.kafka());
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        this.admin = Admin.create(adminConfig);
        this.preparation = new Preparation(admin, registry, config.topics(), config.createTopics(),
                config.topicPartitions());
        this.publisher = new EventPublisher(config.kafka(), registry, config.ackTimeout());
        metrics.bindProducer(publisher.producer());
        this.endpoint = new IngestEndpoint(config, clock,
                new EventValidator(config.maxEventAge(), config.maxClockSkew()), publisher, metrics);
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
        service.preparation.start();
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
        return preparation.schemasRegistered();
    }

    /**
     * Fails readiness while it still serves for {@code http.drain.delay}, then stops accepting requests, finishes
     * those in flight, and flushes and closes the producer.
     */
    @Override
    public void close() {
        draining.begin(config.drainDelay());
        LOG.info("Ingest service stopping: finishing requests in flight");
        app.stop();
        preparation.close();
        publisher.close();
        admin.close(Duration.ofSeconds(5));
        metrics.close();
        LOG.info("Ingest service stopped");
    }

    private void routes() {
        OperationsEndpoints operations = new OperationsEndpoints(admin, preparation, metrics, draining);
        app.before(operations::startTimer);
        app.after(operations::recordRequest);
        for (EventType type : EventType.values()) {
            app.post("/v1/" + type.path(), ctx -> endpoint.handle(ctx, type));
        }
        app.get("/health/live", operations::live);
        app.get("/health/ready", operations::ready);
        app.get("/metrics", operations::metrics);
        app.get("/openapi.yaml", operations::openApi);
        app.error(404, ctx -> Answers.problem(ctx, Problems.notFound(ctx.path())));
        app.error(405, ctx -> Answers.problem(ctx, Problems.methodNotAllowed(ctx.method().name(), ctx.path())));
        app.exception(ProblemException.class, (e, ctx) -> {
            EventType type = ctx.attribute(IngestEndpoint.TYPE);
            if (type != null) {
                metrics.rejection(type.label(), e.problem().type().slug());
            }
            e.headers().forEach(ctx::header);
            Answers.problem(ctx, e.problem());
        });
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("Unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            Answers.problem(ctx, Problems.internal());
        });
    }
}
