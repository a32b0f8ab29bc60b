package io.cxpulse.streams.topic;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time for a topic of {@link Decoded} events: the event's own time ({@code occurredAt}), so that windows and
 * lateness are in event time. A record that could not be decoded, or whose time is further ahead than the clock
 * skew allows (against {@link #clock}), keeps the partition's time instead: a poison record or a far-future
 * {@code occurredAt} neither moves the task's stream time nor is dropped before it reaches the dead-letter topic.
 */
public final class EventTimeExtractor<T> implements TimestampExtractor {
    private final Function<T, Instant> eventTime;
    private final long maxSkew;

    /** Reads {@code eventTime}; a time more than {@code maxSkew} ahead is not taken. */
    public EventTimeExtractor(Function<T, Instant> eventTime, Duration maxSkew) {
        this.eventTime = eventTime;
        this.maxSkew = maxSkew.toMillis();
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
        if (time == null || time.toEpochMilli() < 0
                || time.toEpochMilli() > clock(record.timestamp(), System.currentTimeMillis()) + maxSkew) {
            return fallback;
        }
        return time.toEpochMilli();
    }

    /**
     * The clock an event time is held to: the earlier of when its record was written ({@code received}, its Kafka
     * timestamp, when it has one) and {@code now}. An event more than the clock skew ahead of it is ahead of any
     * clock it could honestly come from.
     */
    public static long clock(long received, long now) {
        return received >= 0 ? Math.min(received, now) : now;
    }
}
