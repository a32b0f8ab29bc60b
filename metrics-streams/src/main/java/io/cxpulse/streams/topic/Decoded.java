package io.cxpulse.streams.topic;

/**
 * A record value as read from a topic: either decoded, or the bytes that could not be, and why. Lets a topology
 * route poison records to the dead-letter topic with their coordinates instead of failing on them. It also keeps
 * the record's Kafka timestamp, which the event-time extractor replaces with the event's own time.
 */
public final class Decoded<T> {
    private final T value;
    private final byte[] raw;
    private final RuntimeException error;
    private long kafkaTimestamp = -1;

    private Decoded(T value, byte[] raw, RuntimeException error) {
        this.value = value;
        this.raw = raw;
        this.error = error;
    }

    public static <T> Decoded<T> of(T value, byte[] raw) {
        return new Decoded<>(value, raw, null);
    }

    public static <T> Decoded<T> failed(byte[] raw, RuntimeException error) {
        return new Decoded<>(null, raw, error);
    }

    public boolean ok() {
        return error == null;
    }

    /** The decoded value, or null. */
    public T value() {
        return value;
    }

    /** The bytes as they were on the topic (null for a tombstone). */
    public byte[] raw() {
        return raw;
    }

    /** Why the bytes could not be decoded, or null. */
    public RuntimeException error() {
        return error;
    }

    /** The record's timestamp on the topic, or -1 if not known. */
    public long kafkaTimestamp() {
        return kafkaTimestamp;
    }

    void kafkaTimestamp(long timestamp) {
        this.kafkaTimestamp = timestamp;
    }
}
