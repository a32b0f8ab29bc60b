package io.cxpulse.ingest.publish;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.cxpulse.ingest.validation.EventValidator.Accepted;
import io.cxpulse.schemas.registry.SchemaRegistryClient;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends events to Kafka with {@code acks=all} and the idempotent producer, and says whether Kafka acknowledged
 * every one of them within a deadline. Values are Avro in the Confluent wire format, written with the id of the
 * schema registered at start (no registration on the request path) by {@link #encode}, which a request calls for
 * each event as soon as it is valid, while the event is still in the CPU's caches.
 */
public final class EventPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);

    private final KafkaProducer<String, byte[]> producer;
    private final SchemaRegistryClient registry;
    /** The encoder of each topic, made once its schema's id is known. */
    private final Map<String, EventEncoder> encoders = new ConcurrentHashMap<>();

    /**
     * One record to send.
     *
     * @param value the record's bytes from {@link #encode}, or null when it could not be encoded (the record is
     *              then counted as not acknowledged)
     */
    public record Outgoing(String topic, String key, byte[] value) {
    }

    /**
     * @param kafka    producer settings from configuration ({@code kafka.*}), applied over the safe defaults
     * @param registry where the schemas' ids are looked up
     * @param deadline how long a request may wait for acknowledgement; bounds how long {@code send} may block
     */
    public EventPublisher(Map<String, Object> kafka, SchemaRegistryClient registry, Duration deadline) {
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
        this.registry = registry;
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** The producer, for its metrics. */
    public Producer<String, byte[]> producer() {
        return producer;
    }

    /**
     * {@code event} for {@code topic} in the Confluent wire format, with the id its schema has under the subject
     * {@code <topic>-value}; null, logged, when it cannot be written (its schema not registered, the registry
     * unreachable), so that {@link #sendAll} counts it as not acknowledged.
     */
    public byte[] encode(String topic, Accepted event) {
        try {
            EventEncoder encoder = encoders.get(topic);
            if (encoder == null) {
                encoder = new EventEncoder(event.type().schema(),
                        registry.getId(topic + "-value", event.type().schema()));
                encoders.putIfAbsent(topic, encoder);
            }
            return encoder.encode(event);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not encode an event for {}: {}", topic, e.toString());
            return null;
        }
    }

    /**
     * Sends every record and waits until Kafka has acknowledged all of them or {@code deadline} has passed.
     *
     * @return the number of records Kafka did not acknowledge in time (0 means all are durable)
     */
    public int sendAll(List<Outgoing> records, Duration deadline) {
        long start = System.nanoTime();
        Acknowledgements acks = new Acknowledgements(records.size());
        for (Outgoing record : records) {
            if (record.value() == null || System.nanoTime() - start > deadline.toNanos()) {
                acks.notSent();
                continue;
            }
            try {
                producer.send(new ProducerRecord<>(record.topic(), record.key(), record.value()), acks);
            } catch (RuntimeException e) {
                LOG.warn("Could not hand an event to the producer for {}: {}", record.topic(), e.toString());
                acks.notSent();
            }
        }
        int failed = acks.await(deadline.toNanos() - (System.nanoTime() - start));
        if (failed > 0) {
            LOG.warn("Kafka did not acknowledge {} of {} events within {} ms", failed, records.size(),
                    deadline.toMillis());
        }
        return failed;
    }

    /** One callback for all the records of a request: counts what is pending and what failed. */
    private static final class Acknowledgements implements Callback {
        private final AtomicInteger pending;
        private final AtomicInteger failed = new AtomicInteger();
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private final int total;

        Acknowledgements(int total) {
            this.total = total;
            this.pending = new AtomicInteger(total);
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception e) {
            if (e != null) {
                failed.incrementAndGet();
            }
            settle();
        }

        /** A record that never reached the producer. */
        void notSent() {
            failed.incrementAndGet();
            settle();
        }

        private void settle() {
            if (pending.decrementAndGet() == 0) {
                done.complete(null);
            }
        }

        /** Waits up to {@code nanos}; the records not acknowledged by then (failed or still pending). */
        int await(long nanos) {
            try {
                done.get(Math.max(nanos, 0), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // counted below: whatever is still pending was not acknowledged in time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Math.min(total, failed.get() + pending.get());
        }
    }

    /** Sends what is buffered and closes the producer. */
    @Override
    public void close() {
        producer.flush();
        producer.close(Duration.ofSeconds(30));
    }
}
