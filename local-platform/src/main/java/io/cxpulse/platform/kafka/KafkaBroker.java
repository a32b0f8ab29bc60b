package io.cxpulse.platform.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real Kafka node, broker and KRaft controller combined, run in this JVM from Kafka's own server classes: the
 * only node of a one-node cluster, or one of several (each in its own process, see
 * {@link io.cxpulse.platform.cluster.LocalCluster}).
 *
 * <p>The data directory is formatted on first use and reused afterwards, so a broker restarted on the same
 * directory keeps its topics and records.
 */
public final class KafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private boolean closed;

    private KafkaBroker(BrokerSettings settings, KafkaRaftServer server) {
        this.server = server;
        this.bootstrapServers = settings.host() + ":" + settings.port();
    }

    /**
     * Formats the data directory if it is new, starts the node and waits until it accepts client requests.
     */
    public static KafkaBroker start(BrokerSettings settings) {
        Path logDir = settings.dataDir().resolve("kafka");
        KafkaConfig config = new KafkaConfig(serverProperties(settings, logDir), false);
        formatIfNeeded(settings, logDir);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        long started = System.nanoTime();
        server.startup();
        KafkaBroker broker = new KafkaBroker(settings, server);
        try {
            broker.awaitReady();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        LOG.info("Kafka broker {} ready on {} in {} ms (data under {})", settings.nodeId(),
                broker.bootstrapServers(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), logDir);
        return broker;
    }

    /** The {@code bootstrap.servers} value for clients of this broker. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Creates a topic with the given partition count and topic configuration, replicated as the cluster's
     * default. A topic that already exists is left as it is (a create that timed out on the client may still have
     * succeeded).
     */
    public void createTopic(String name, int partitions, Map<String, String> topicConfig) {
        try (Admin admin = admin()) {
            NewTopic topic = new NewTopic(name, partitions, (short) -1).configs(topicConfig);
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create topic " + name + ": " + e.getCause().getMessage(),
                        e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Timed out creating topic " + name, e);
        }
    }

    /** An admin client for this broker; the caller closes it. */
    public Admin admin() {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return Admin.create(config);
    }

    /** Stops the broker and its controller and waits until both have shut down. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
        LOG.info("Kafka broker on {} stopped", bootstrapServers);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Kafka broker on " + bootstrapServers
                                + " did not become ready within " + READY_TIMEOUT, e);
                    }
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
        }
    }

    private static Properties serverProperties(BrokerSettings settings, Path logDir) {
        String host = settings.host();
        Properties props = new Properties();
        String replication = Integer.toString(settings.replicationFactor());
        String minInsync = Integer.toString(settings.minInsyncReplicas());
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(settings.nodeId()));
        props.put("controller.quorum.voters", settings.quorumVoters());
        props.put("listeners", "PLAINTEXT://" + host + ":" + settings.port() + ","
                + CONTROLLER_LISTENER + "://" + host + ":" + settings.controllerPort());
        props.put("advertised.listeners", "PLAINTEXT://" + host + ":" + settings.port());
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("num.partitions", "1");
        // every topic, the internal ones included, as production would have them: an acknowledged write
        // (acks=all) is on at least two brokers once the cluster has them
        props.put("default.replication.factor", replication);
        props.put("min.insync.replicas", minInsync);
        props.put("offsets.topic.replication.factor", replication);
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", replication);
        props.put("transaction.state.log.min.isr", minInsync);
        props.put("transaction.state.log.num.partitions", "1");
        props.put("share.coordinator.state.topic.replication.factor", replication);
        props.put("share.coordinator.state.topic.min.isr", minInsync);
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        props.putAll(settings.overrides());
        return props;
    }

    private static void formatIfNeeded(BrokerSettings settings, Path logDir) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            Files.createDirectories(logDir);
            new Formatter()
                    .setPrintStream(out)
                    .setNodeId(settings.nodeId())
                    .setClusterId(settings.clusterId().orElseGet(() -> Uuid.randomUuid().toString()))
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .run();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create Kafka data directory " + logDir, e);
        } catch (Exception e) {
            throw new IllegalStateException("Could not format Kafka data directory " + logDir + ": "
                    + output.toString(StandardCharsets.UTF_8).trim(), e);
        }
        LOG.debug("Formatted {}: {}", logDir, output.toString(StandardCharsets.UTF_8).trim());
    }
}
