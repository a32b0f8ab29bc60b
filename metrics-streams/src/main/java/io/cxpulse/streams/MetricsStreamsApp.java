package io.cxpulse.streams;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import io.cxpulse.common.Draining;
import io.cxpulse.common.KafkaTopics;
import io.cxpulse.common.ServiceLauncher;
import io.cxpulse.common.problem.Answers;
import io.cxpulse.common.problem.Problem;
import io.cxpulse.common.problem.ProblemType;
import io.cxpulse.schemas.registry.SchemaRegistryClient;
import io.cxpulse.schemas.registry.SchemaRegistryClientConfig;
import io.cxpulse.streams.metrics.FrictionMetrics;
import io.cxpulse.streams.metrics.SurveyMetrics;
import io.cxpulse.streams.metrics.TicketMetrics;
import io.cxpulse.streams.query.FrictionQueries;
import io.cxpulse.streams.query.SurveyQueries;
import io.cxpulse.streams.query.TicketQueries;
import io.cxpulse.streams.state.BoundedRocksDbMemory;
import io.cxpulse.streams.topic.Topics;
import io.javalin.Javalin;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * metrics-streams as one process: the Kafka Streams application, and on one HTTP port the query API,
 * {@code /metrics} and health.
 */
public final class MetricsStreamsApp implements ServiceLauncher.Service {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsStreamsApp.class);

    private final MetricsStreamsConfig config;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final SurveyMetrics surveyMetrics;
    private final TicketMetrics ticketMetrics;
    private final FrictionMetrics frictionMetrics;
    private final Javalin http;
    private KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;
    private final Topics topics;
    private final StreamsHealth health;
    private final Draining draining = new Draining();
    /** The slot this instance claimed under {@code instance.slot.dir}, if set. */
    private final InstanceSlot slot;
    private final String stateDir;
    private final Map<String, Object> kafka;
    /** Set once the Streams instance and the query routes exist (read by the HTTP threads). */
    private volatile boolean wired;
    private volatile boolean exitWhenFailed;

    private MetricsStreamsApp(MetricsStreamsConfig config) {
        this.config = config;
        MetricsStreamsConfig.Instance instance = config.instance();
        this.health = new StreamsHealth(instance.rebalanceGrace(), instance.maxThreadReplacements(),
                instance.threadReplacementWindow(), System::nanoTime, draining);
        this.slot = instance.slotDir().map(dir -> InstanceSlot.claim(Path.of(dir))).orElse(null);
        this.kafka = new HashMap<>(config.kafka());
        if (slot == null) {
            this.stateDir = config.stateDir();
        } else {
            this.stateDir = slot.stateDir().toString();
            kafka.putIfAbsent(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.applicationId() + "-slot-"
                    + slot.number());
            LOG.info("Claimed slot {}: state in {}, static membership id {}", slot.number(), stateDir,
                    kafka.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
        }
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        this.surveyMetrics = new SurveyMetrics(registry, config.labels().segmentSet());
        this.ticketMetrics = new TicketMetrics(registry, config.labels().queueSet());
        this.frictionMetrics = new FrictionMetrics(registry, config.labels().touchpointSet());
        if (config.labels().segments().isEmpty()) {
            LOG.warn("metrics.segments is not set: the segments with their own Prometheus label are the first {} "
                    + "this instance sees (counters) and its busiest (gauges), which another instance or a restart "
                    + "can see differently. List them in metrics.segments for one label set everywhere.",
                    config.labels().topN());
        }
        this.http = Javalin.create(javalin -> {
            javalin.showJavalinBanner = false;
            javalin.jetty.defaultHost = config.host();
            javalin.jetty.defaultPort = config.port();
        });
        // health, /metrics and the error answers exist from the first request on; the query routes need the
        // Streams instance, which needs the port (application.server), so until they are wired they answer 503
        serviceRoutes();
        http.start();
        try {
            this.topics = wire();
        } catch (RuntimeException | Error e) {
            http.stop();
            gc.close();
            registry.close();
            if (slot != null) {
                slot.close();
            }
            throw e;
        }
        wired = true;
    }

    /** Builds the topology and the Streams instance on the port now bound, and adds the query routes. */
    private Topics wire() {
        HostInfo self = new HostInfo(advertisedHost(), http.port());
        SchemaRegistryClient client = new SchemaRegistryClient(SchemaRegistryClientConfig.fromMap(config.registry()));
        Topics topics = Topics.create(client, config.registry(), config.topics());
        Topology topology = MetricsTopology.build(topics, config,
                new MetricsTopology.Observers(surveyMetrics, ticketMetrics, frictionMetrics));
        LOG.info("Topology:\n{}", topology.describe());
        this.streams = new KafkaStreams(topology, properties(self));
        Counter replaced = Counter.builder("cx.stream.threads.replaced")
                .description("Stream threads that died of an uncaught exception and were replaced")
                .register(registry);
        streams.setUncaughtExceptionHandler(e -> {
            health.onThreadReplaced();
            if (health.threadsKeepDying()) {
                LOG.error("A stream thread died, more than health.thread.replacements.max times in "
                        + "health.thread.replacements.window: stopping Kafka Streams", e);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            LOG.error("A stream thread died; replacing it (it resumes from the last commit)", e);
            replaced.increment();
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> {
            LOG.info("Kafka Streams {} -> {}", before, now);
            health.onChange(now);
            if (now == KafkaStreams.State.ERROR && exitWhenFailed) {
                exitFailed();
            }
        });
        this.streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        new SurveyQueries(streams, self, config.survey().buckets(), () -> surveyMetrics.streamTime().orElse(-1))
                .routes(http);
        new TicketQueries(streams, self, config.tickets().buckets(), () -> ticketMetrics.streamTime().orElse(-1))
                .routes(http);
        new FrictionQueries(streams, self, () -> frictionMetrics.streamTime().orElse(-1), config.friction())
                .routes(http);
        return topics;
    }

    /**
     * Starts the HTTP server, creates the topics that are missing ({@code topics.create}), checks that the joined
     * topics are co-partitioned, then starts the Streams application (which restores its state before it runs).
     * While it starts, {@code /health/live} answers 200, {@code /health/ready} 503 and the query API 503 with
     * Retry-After; when it cannot start, everything it opened is closed again before the exception is thrown.
     */
    public static MetricsStreamsApp start(MetricsStreamsConfig config) {
        MetricsStreamsApp app = new MetricsStreamsApp(config);
        LOG.info("metrics-streams listening on {}; preparing its topics", app.url());
        try {
            if (config.createTopics()) {
                app.createTopics(app.topics);
            }
            app.checkCopartitioned(app.topics);
            app.streams.start();
        } catch (RuntimeException | Error e) {
            app.close();
            throw e;
        }
        return app;
    }

    public String url() {
        return "http://" + config.host() + ":" + http.port();
    }

    public int port() {
        return http.port();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /**
     * Makes the process exit (status 70) once Kafka Streams has failed for good (ERROR), after closing what it
     * can, so that a restart policy starts it again; for {@code main}, not for an instance embedded in a test.
     */
    public MetricsStreamsApp exitWhenFailed() {
        exitWhenFailed = true;
        if (streams.state() == KafkaStreams.State.ERROR) {
            exitFailed();
        }
        return this;
    }

    private static void exitFailed() {
        Thread exit = new Thread(() -> {
            LOG.error("Kafka Streams failed for good (ERROR): exiting so that the instance is started again");
            System.exit(70);
        }, "metrics-streams-exit");
        exit.start();
    }

    /**
     * Stops: readiness fails at once while queries are still answered for {@code http.drain.delay}, then HTTP
     * stops and Kafka Streams closes (state flushed, offsets committed). An instance with a static membership id
     * ({@code kafka.group.instance.id}) stays in the group: restarted within {@code session.timeout.ms} it takes
     * its own tasks back without a rebalance, and the others keep theirs. An instance without one leaves, so
     * that its tasks move at once (it would come back as a new member anyway).
     */
    @Override
    public void close() {
        LOG.info("metrics-streams stopping");
        draining.begin(wired ? config.instance().drainDelay() : Duration.ZERO);
        http.stop();
        boolean leave = !kafka.containsKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        streams.close(new KafkaStreams.CloseOptions().timeout(Duration.ofSeconds(30)).leaveGroup(leave));
        streamsMetrics.close();
        gc.close();
        registry.close();
        if (slot != null) {
            slot.close();
        }
        LOG.info("metrics-streams stopped");
    }

    /**
     * The host other instances reach this one at: {@code http.advertised.host}, or {@code http.host}, or when that
     * is a wildcard this machine's address (a container's IP on its network).
     */
    private String advertisedHost() {
        Optional<String> advertised = config.instance().advertisedHost();
        if (advertised.isPresent()) {
            return advertised.get();
        }
        String host = config.host();
        if (!host.equals("0.0.0.0") && !host.equals("::") && !host.equals("[::]")) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("http.host is " + host + " and this machine's address is unknown: set "
                    + "http.advertised.host to the address other instances reach this one at", e);
        }
    }

    private Properties properties(HostInfo self) {
        Properties properties = new Properties();
        properties.putAll(kafka);
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee());
        properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        properties.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        properties.putIfAbsent(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        if (!properties.containsKey(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)) {
            properties.putAll(BoundedRocksDbMemory.streamsConfig(config.instance().rocksDbMemoryMb()));
        }
        return properties;
    }

    private void createTopics(Topics topics) {
        try (Admin admin = Admin.create(KafkaTopics.adminConfig(config.kafka()))) {
            KafkaTopics.create(admin, topics.all(), config.topicPartitions(),
                    Duration.ofSeconds(30));
        }
    }

    /**
     * Fails the start when the topics whose events meet by customerId have different partition counts: their
     * records with one key would land in different tasks, and the friction join would silently miss them.
     */
    private void checkCopartitioned(Topics topics) {
        try (Admin admin = Admin.create(KafkaTopics.adminConfig(config.kafka()))) {
            Map<String, Integer> partitions = new LinkedHashMap<>();
            admin.describeTopics(topics.copartitioned()).allTopicNames().get(30, TimeUnit.SECONDS)
                    .forEach((name, description) -> partitions.put(name, description.partitions().size()));
            if (partitions.values().stream().distinct().count() > 1) {
                throw new IllegalStateException("The topics " + partitions + " must have the same number of "
                        + "partitions: their events are joined by customerId in one task");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing the input topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not describe the input topics " + topics.copartitioned()
                    + " (do they exist? ingest or topics.create=true creates them): " + e.getMessage(), e);
        }
    }

    /**
     * Answers every request under {@code /v1/} with a 503 problem and Retry-After, before any route (or the 404
     * for a route not added yet) sees it, while {@code open} says no.
     */
    static void gateQueries(Javalin http, BooleanSupplier open) {
        http.before("/v1/*", ctx -> {
            if (!open.getAsBoolean()) {
                ctx.header("Retry-After", "2");
                Answers.problem(ctx, Problem.of(ProblemType.NOT_READY,
                        "metrics-streams is starting: its Streams application is not built yet"));
                ctx.skipRemainingHandlers();
            }
        });
    }

    private static void health(io.javalin.http.Context ctx, StreamsHealth.Verdict verdict) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", verdict.up() ? "UP" : "DOWN");
        body.put("checks", Map.of("streams", verdict.detail()));
        Answers.json(ctx, verdict.up() ? 200 : 503, body);
    }

    private void serviceRoutes() {
        gateQueries(http, () -> wired);
        http.get("/health/live", ctx -> health(ctx, wired ? health.live(streams.state())
                : new StreamsHealth.Verdict(true, "STARTING")));
        http.get("/health/ready", ctx -> health(ctx, wired ? health.ready(streams.state())
                : new StreamsHealth.Verdict(false, "STARTING")));
        http.get("/metrics", ctx -> {
            surveyMetrics.refreshGauges();
            ticketMetrics.refreshGauges();
            frictionMetrics.refreshGauges();
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape());
        });
        http.error(404, ctx -> Answers.problem(ctx, Problem.of(ProblemType.NOT_FOUND, "No resource at "
                + ctx.path())));
        http.exception(Exception.class, (e, ctx) -> {
            LOG.error("Unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            Answers.problem(ctx, Problem.of(ProblemType.INTERNAL_ERROR, "The request could not be answered"));
        });
    }
}
