package io.cxpulse.streams;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.cxpulse.avro.DeadLetter;
import io.cxpulse.avro.DeadLetterReason;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Builds the {@link DeadLetter} for the record a processor is working on, with its coordinates. */
public final class DeadLetters {
    private static final int MAX_CAUSE = 2_000;

    private DeadLetters() {
    }

    /**
     * The dead letter for {@code record}, read by {@code processor}: the topic, partition and offset of the record
     * being processed, its key and value bytes as they were, its Kafka timestamp (or null if not known), and why.
     */
    public static DeadLetter of(ProcessorContext<?, ?> context, Record<String, ?> record, byte[] value,
            long kafkaTimestamp, DeadLetterReason reason, String cause, String processor) {
        RecordMetadata metadata = context.recordMetadata().orElse(null);
        return DeadLetter.newBuilder()
                .setOriginalTopic(metadata == null ? "" : metadata.topic())
                .setOriginalPartition(metadata == null ? -1 : metadata.partition())
                .setOriginalOffset(metadata == null ? -1 : metadata.offset())
                .setOriginalTimestamp(kafkaTimestamp < 0 ? null : Instant.ofEpochMilli(kafkaTimestamp))
                .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key().getBytes(StandardCharsets.UTF_8)))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setReason(reason)
                .setCause(cause.length() > MAX_CAUSE ? cause.substring(0, MAX_CAUSE) + "..." : cause)
                .setProcessor(processor)
                .setFailedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                .build();
    }

    /** An exception as a cause: its class and message, and those of its causes. */
    public static String describe(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable e = error; e != null && text.length() < MAX_CAUSE; e = e.getCause()) {
            if (text.length() > 0) {
                text.append("; caused by ");
            }
            text.append(e.getClass().getSimpleName()).append(": ").append(e.getMessage());
        }
        return text.toString();
    }
}
