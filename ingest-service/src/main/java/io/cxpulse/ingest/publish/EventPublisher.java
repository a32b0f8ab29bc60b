package io.cxpulse.ingest.publish;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.cxpulse.schemas.registry.SchemaRegistryClient;
import io.cxpulse.schemas.serde.AvroSerializer;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends events to Kafka with {@code acks=all} and the idempotent producer, and says whether Kafka acknowledged
 * every one of them within a deadline. Values are Avro in the Confluent wire format, written with the schema
 * registered at start (no registration on the request path).
 */
public final class EventPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);

    private final KafkaProducer<String, Object> producer;

    /** One record to send. */
    public record Outgoing(String topic, String key, SpecificRecord value) {
    }

    /**
     * @param kafka    producer settings from configuration ({@code kafka.*}), applied over the safe defaults
     * @param registry settings of the schema registry, under Confluent's names
     * @param deadline how long a request may wait for acknowledgement; bounds how long {@code send} may block
     */
    public EventPublisher(Map<String, Object> kafka, Map<String, Object> registry, SchemaRegistryClient client,
            Duration deadline) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, deadline.toMillis());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "cxpulse-ingest");
        config.putAll(kafka);
        if (!"all".equals(String.valueOf(config.get(ProducerConfig.ACKS_CONFIG)))
                && !"-1".equals(String.valueOf(config.get(ProducerConfig.ACKS_CONFIG)))) {
            throw new org.apache.kafka.common.config.ConfigException("kafka.acks", config.get("acks"),
                    "must be all: a 2xx from ingest means every in-sync replica has the event");
        }
        Map<String, Object> serde = new HashMap<>(registry);
        serde.put("auto.register.schemas", false);
        AvroSerializer<Object> values = new AvroSerializer<>(client, serde, false);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), values);
    }

    /** The producer, for its metrics. */
    public Producer<String, Object> producer() {
        return producer;
    }

    /**
     * Sends every record and waits until Kafka has acknowledged all of them or {@code deadline} has passed.
     *
     * @return the number of records Kafka did not acknowledge in time (0 means all are durable)
     */
    public int sendAll(List<Outgoing> records, Duration deadline) {
        long start = System.nanoTime();
        CountDownLatch pending = new CountDownLatch(records.size());
        AtomicInteger unacknowledged = new AtomicInteger();
        for (Outgoing record : records) {
            if (System.nanoTime() - start > deadline.toNanos()) {
                unacknowledged.incrementAndGet();
                pending.countDown();
                continue;
            }
            try {
                producer.send(new ProducerRecord<>(record.topic(), record.key(), record.value()), (metadata, e) -> {
                    if (e != null) {
                        unacknowledged.incrementAndGet();
                    }
                    pending.countDown();
                });
            } catch (RuntimeException e) {
                LOG.warn("Could not hand an event to the producer for {}: {}", record.topic(), e.toString());
                unacknowledged.incrementAndGet();
                pending.countDown();
            }
        }
        try {
            long remaining = deadline.toNanos() - (System.nanoTime() - start);
            if (!pending.await(Math.max(remaining, 0), TimeUnit.NANOSECONDS)) {
                unacknowledged.addAndGet((int) pending.getCount());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unacknowledged.addAndGet((int) pending.getCount());
        }
        int failed = Math.min(unacknowledged.get(), records.size());
        if (failed > 0) {
            LOG.warn("Kafka did not acknowledge {} of {} events within {} ms", failed, records.size(),
                    deadline.toMillis());
        }
        return failed;
    }

    /** Sends what is buffered and closes the producer. */
    @Override
    public void close() {
        producer.flush();
        producer.close(Duration.ofSeconds(30));
    }
}
