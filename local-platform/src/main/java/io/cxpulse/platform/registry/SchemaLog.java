package io.cxpulse.platform.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's durable store: a compacted, single-partition Kafka topic ({@code _schemas} by default) in the
 * record layout Confluent's registry uses, so the topic reads the same to anyone who knows that layout.
 *
 * <p>Keys are {@code {"keytype":"SCHEMA","subject":…,"version":…,"magic":1}} or
 * {@code {"keytype":"CONFIG","subject":…,"magic":0}}; values carry the schema or the compatibility level.
 * A write is acknowledged by every in-sync replica before it is applied to memory and answered. On replay,
 * versions that a Confluent registry marked deleted (or tombstoned) are dropped from their subject; their ids
 * keep resolving, as in Confluent.
 */
final class SchemaLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String topic;
    private final KafkaProducer<String, String> producer;

    private SchemaLog(String topic, KafkaProducer<String, String> producer) {
        this.topic = topic;
        this.producer = producer;
    }

    /** Creates the topic when missing, replays it into {@code state} and opens it for writing. */
    static SchemaLog open(String bootstrapServers, String topic, RegistryState state) {
        ensureTopic(bootstrapServers, topic);
        int replayed = replay(bootstrapServers, topic, state);
        LOG.info("Schema registry loaded {} records from {}", replayed, topic);
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() / 2);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "schema-registry-" + topic);
        return new SchemaLog(topic, new KafkaProducer<>(config, new StringSerializer(), new StringSerializer()));
    }

    /** Appends a schema version durably. */
    void append(SchemaVersion version) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("keytype", "SCHEMA");
        key.put("subject", version.subject());
        key.put("version", version.version());
        key.put("magic", 1);
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("subject", version.subject());
        value.put("version", version.version());
        value.put("id", version.id());
        value.put("schema", version.schema());
        value.put("deleted", false);
        send(key, value);
    }

    /** Appends a compatibility level durably; {@code subject} null means the global level. */
    void appendLevel(String subject, CompatibilityLevel level) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("keytype", "CONFIG");
        key.put("subject", subject);
        key.put("magic", 0);
        Map<String, Object> value = null;
        if (level != null) {
            value = new LinkedHashMap<>();
            value.put("compatibilityLevel", level.name());
        }
        send(key, value);
    }

    @Override
    public void close() {
        producer.close(TIMEOUT);
    }

    private void send(Map<String, Object> key, Map<String, Object> value) {
        try {
            String valueText = value == null ? null : JSON.writeValueAsString(value);
            producer.send(new ProducerRecord<>(topic, JSON.writeValueAsString(key), valueText))
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new RegistryException(RegistryError.BACKEND_STORE, "Error in the backend data store: "
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(RegistryError.BACKEND_STORE, "Interrupted while writing to " + topic);
        }
    }

    private static void ensureTopic(String bootstrapServers, String topic) {
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(config)) {
            NewTopic newTopic = new NewTopic(topic, 1, (short) -1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            admin.createTopics(List.of(newTopic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create the registry topic " + topic, e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out creating the registry topic " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the registry topic " + topic, e);
        }
    }

    private static int replay(String bootstrapServers, String topic, RegistryState state) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        TopicPartition partition = new TopicPartition(topic, 0);
        int count = 0;
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), TIMEOUT).get(partition);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (consumer.position(partition, TIMEOUT) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Timed out reading the registry topic " + topic);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    applyRecord(record, state);
                    count++;
                }
            }
        }
        return count;
    }

    private static void applyRecord(ConsumerRecord<String, String> record, RegistryState state) {
        try {
            JsonNode key = JSON.readTree(record.key());
            String keyType = key.path("keytype").asText();
            JsonNode value = record.value() == null ? null : JSON.readTree(record.value());
            if ("SCHEMA".equals(keyType)) {
                String subject = key.path("subject").asText();
                int version = key.path("version").asInt();
                if (value == null || value.path("deleted").asBoolean(false)) {
                    state.remove(subject, version);
                } else {
                    state.apply(new SchemaVersion(subject, version, value.path("id").asInt(),
                            value.path("schema").asText()));
                }
            } else if ("CONFIG".equals(keyType)) {
                String subject = key.path("subject").isTextual() ? key.path("subject").asText() : null;
                CompatibilityLevel level = value == null ? null
                        : CompatibilityLevel.parse(value.path("compatibilityLevel").asText()).orElse(null);
                state.applyLevel(subject, level);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Skipping unreadable record in {} at offset {}", record.topic(), record.offset(), e);
        }
    }
}
