package io.cxpulse.platform.junit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;

/** Reads a topic from the beginning in tests, with a consumer group of its own. */
public final class TopicReader {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private TopicReader() {
    }

    /**
     * The records of {@code topic} from its start, read until {@code done} holds for what has been read or 30 s
     * have passed.
     */
    public static <K, V> List<ConsumerRecord<K, V>> read(String bootstrapServers, String topic, Deserializer<K> keys,
            Deserializer<V> values, Predicate<List<ConsumerRecord<K, V>>> done) {
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), keys, values)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!done.test(records) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }

    /** The first {@code count} values of {@code topic} (fewer if they do not arrive within 30 s). */
    public static <V> List<V> values(String bootstrapServers, String topic, Deserializer<V> values, int count) {
        return read(bootstrapServers, topic, new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                values, records -> records.size() >= count).stream().map(ConsumerRecord::value).toList();
    }
}
