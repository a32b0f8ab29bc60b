package io.cxpulse.platform;

import java.nio.file.Path;
import java.util.Map;

import io.cxpulse.platform.kafka.BrokerSettings;
import io.cxpulse.platform.kafka.KafkaBroker;
import io.cxpulse.platform.registry.RegistrySettings;
import io.cxpulse.platform.registry.SchemaRegistryServer;

/**
 * A real Kafka broker and a Confluent-compatible schema registry on one machine, started together and stopped
 * in the reverse order.
 */
public final class LocalPlatform implements AutoCloseable {
    private final KafkaBroker broker;
    private final SchemaRegistryServer registry;

    private LocalPlatform(KafkaBroker broker, SchemaRegistryServer registry) {
        this.broker = broker;
        this.registry = registry;
    }

    /**
     * Starts the broker, then the registry on it.
     *
     * @param kafkaPort    the Kafka client port, or 0 for a free one
     * @param registryPort the registry's HTTP port, or 0 for a free one
     * @param dataDir      where the broker keeps its data; reused across restarts
     */
    public static LocalPlatform start(int kafkaPort, int registryPort, Path dataDir) {
        KafkaBroker broker = KafkaBroker.start(BrokerSettings.loopback(kafkaPort, dataDir));
        try {
            SchemaRegistryServer registry =
                    SchemaRegistryServer.start(RegistrySettings.loopback(registryPort, broker.bootstrapServers()));
            return new LocalPlatform(broker, registry);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /** The broker's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** The registry's {@code schema.registry.url}. */
    public String schemaRegistryUrl() {
        return registry.url();
    }

    /** The broker, for creating topics and admin clients. */
    public KafkaBroker broker() {
        return broker;
    }

    /** Creates a topic (no-op when it exists) with {@code partitions} partitions and the given configuration. */
    public void createTopic(String name, int partitions, Map<String, String> config) {
        broker.createTopic(name, partitions, config);
    }

    /** Stops the registry, then the broker. */
    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            broker.close();
        }
    }
}
