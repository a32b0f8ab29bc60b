package io.cxpulse.streams.intake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.cxpulse.avro.DeadLetter;
import io.cxpulse.avro.DeadLetterReason;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

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
        return of(RecordOrigin.of(context, value, kafkaTimestamp), record.key(), reason, cause, processor,
                context.currentSystemTimeMs());
    }

    /** The dead letter for the record read at {@code origin} under {@code key}, failed at {@code failedAt}. */
    public static DeadLetter of(RecordOrigin origin, String key, DeadLetterReason reason, String cause,
            String processor, long failedAt) {
        return DeadLetter.newBuilder()
                .setOriginalTopic(origin.topic())
                .setOriginalPartition(origin.partition())
                .setOriginalOffset(origin.offset())
                .setOriginalTimestamp(origin.timestamp() < 0 ? null : Instant.ofEpochMilli(origin.timestamp()))
                .setKey(key == null ? null : ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)))
                .setValue(origin.value() == null ? null : ByteBuffer.wrap(origin.value()))
                .setReason(reason)
                .setCause(cause.length() > MAX_CAUSE ? cause.substring(0, MAX_CAUSE) + "..." : cause)
                .setProcessor(processor)
                .setFailedAt(Instant.ofEpochMilli(failedAt))
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
