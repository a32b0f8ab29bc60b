package io.cxpulse.streams.friction;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import io.cxpulse.streams.ticket.DurationSketch;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A {@link FrictionBucket} in bytes, for window stores and the repartition topic: a version, the counts, the
 * signal counts (each list after its length, so that a signal added later reads as zero in older bytes), and the
 * duration sketch in DDSketch's encoding.
 */
public final class FrictionBucketSerde implements Serde<FrictionBucket> {
    private static final int VERSION = 1;

    @Override
    public Serializer<FrictionBucket> serializer() {
        return (topic, bucket) -> bucket == null ? null : write(bucket);
    }

    @Override
    public Deserializer<FrictionBucket> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return read(bytes);
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("not a friction bucket (" + bytes.length + " bytes) in " + topic, e);
            }
        };
    }

    static byte[] write(FrictionBucket bucket) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writeLongs(out, bucket.counts());
            writeLongs(out, bucket.signals());
            byte[] sketch = bucket.durations().toBytes();
            out.writeInt(sketch.length);
            out.write(sketch);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }

    private static void writeLongs(DataOutputStream out, long[] values) throws IOException {
        out.writeShort(values.length);
        for (long value : values) {
            out.writeLong(value);
        }
    }

    static FrictionBucket read(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new IOException("unknown friction bucket version " + version);
        }
        long[] counts = readLongs(in, FrictionBucket.COUNTS);
        long[] signals = readLongs(in, FrictionBucket.SIGNALS.length);
        int length = in.readInt();
        if (length < 0 || length != in.available()) {
            throw new IOException("a sketch of " + length + " bytes does not match the " + in.available()
                    + " left");
        }
        return new FrictionBucket(counts, signals, DurationSketch.fromBytes(in.readNBytes(length)));
    }

    private static long[] readLongs(DataInputStream in, int size) throws IOException {
        int length = in.readUnsignedShort();
        if (length > size) {
            throw new IOException(length + " values where this version knows " + size);
        }
        long[] values = new long[size];
        for (int i = 0; i < length; i++) {
            values[i] = in.readLong();
        }
        return values;
    }
}
