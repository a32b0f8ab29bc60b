package io.cxpulse.streams.topic;

import java.time.Instant;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time for a topic of {@link Decoded} events: the event's own time ({@code occurredAt}), so that windows,
 * stream time and grace are all in event time. A record that could not be decoded keeps the partition's stream
 * time, so a poison record neither moves stream time nor is dropped before it reaches the dead-letter topic.
 */
public final class EventTimeExtractor<T> implements TimestampExtractor {
    private final Function<T, Instant> eventTime;

    public EventTimeExtractor(Function<T, Instant> eventTime) {
        this.eventTime = eventTime;
    }

    @Override
    @SuppressWarnings("unchecked")
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        long fallback = partitionTime >= 0 ? partitionTime : Math.max(record.timestamp(), 0);
        if (!(record.value() instanceof Decoded<?> decoded)) {
            return fallback;
        }
        ((Decoded<Object>) decoded).kafkaTimestamp(record.timestamp());
        if (!decoded.ok()) {
            return fallback;
        }
        Instant time = eventTime.apply((T) decoded.value());
        return time == null || time.toEpochMilli() < 0 ? fallback : time.toEpochMilli();
    }
}
