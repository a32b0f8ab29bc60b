package io.cxpulse.streams.intake;

import java.util.Arrays;
import java.util.Objects;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Where a record was read and what it was: its topic, partition and offset, its Kafka timestamp and its value
 * bytes as they were. Kept with an event that a processor holds for later, so that it can still be dead-lettered
 * with its coordinates.
 *
 * @param topic     the topic, or "" when not known
 * @param partition the partition, or -1
 * @param offset    the offset, or -1
 * @param timestamp the record's Kafka timestamp, or -1
 * @param value     the value bytes (null for none)
 */
public record RecordOrigin(String topic, int partition, long offset, long timestamp, byte[] value) {
    public RecordOrigin {
        Objects.requireNonNull(topic, "topic");
    }

    /** The origin of the record {@code context} is processing, with {@code value} and {@code timestamp}. */
    public static RecordOrigin of(ProcessorContext<?, ?> context, byte[] value, long timestamp) {
        RecordMetadata metadata = context.recordMetadata().orElse(null);
        return metadata == null ? new RecordOrigin("", -1, -1, timestamp, value)
                : new RecordOrigin(metadata.topic(), metadata.partition(), metadata.offset(), timestamp, value);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RecordOrigin that && topic.equals(that.topic) && partition == that.partition
                && offset == that.offset && timestamp == that.timestamp && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset, timestamp) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
