package io.cxpulse.ingest.publish;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.cxpulse.common.KafkaTopics;
import io.cxpulse.ingest.EventType;
import io.cxpulse.schemas.registry.SchemaRegistryClient;

import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets Kafka and the registry ready for ingest, in the background until it succeeds: creates the missing topics
 * (when asked to) and registers each event type's schema under {@code <topic>-value}.
 */
public final class Preparation implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Preparation.class);
    private static final Duration RETRY = Duration.ofSeconds(5);

    private final Admin admin;
    private final SchemaRegistryClient registry;
    private final Map<EventType, String> topics;
    private final int partitions;
    private final boolean createTopics;
    private final AtomicBoolean schemasRegistered = new AtomicBoolean();
    private final ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "ingest-setup");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param createTopics whether to create missing topics, with {@code partitions} partitions each
     */
    public Preparation(Admin admin, SchemaRegistryClient registry, Map<EventType, String> topics,
            boolean createTopics, int partitions) {
        this.admin = admin;
        this.registry = registry;
        this.topics = Map.copyOf(topics);
        this.createTopics = createTopics;
        this.partitions = partitions;
    }

    /** Starts preparing in the background. */
    public void start() {
        background.execute(this::prepare);
    }

    /** Whether every schema is registered. */
    public boolean schemasRegistered() {
        return schemasRegistered.get();
    }

    @Override
    public void close() {
        background.shutdownNow();
    }

    private void prepare() {
        try {
            if (createTopics) {
                KafkaTopics.create(admin, topics.values(), partitions, Duration.ofSeconds(10));
            }
            for (EventType type : EventType.values()) {
                Schema schema = type.schema();
                int id = registry.register(topics.get(type) + "-value", schema);
                LOG.info("Schema {} registered as id {} under {}-value", schema.getFullName(), id, topics.get(type));
            }
            schemasRegistered.set(true);
        } catch (RuntimeException e) {
            LOG.warn("Not ready yet, retrying in {} s: {}", RETRY.toSeconds(), e.getMessage());
            background.schedule(this::prepare, RETRY.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
