package io.cxpulse.streams.friction;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import io.cxpulse.streams.state.DataSerde;
import io.cxpulse.streams.window.DurationSketch;

/**
 * A {@link FrictionBucket} in bytes, for window stores and the repartition topic: a version, the counts, the
 * signal counts (each list after its length, so that a signal added later reads as zero in older bytes), and the
 * duration sketch in DDSketch's encoding after its length.
 */
public final class FrictionBucketSerde extends DataSerde<FrictionBucket> {
    private static final int VERSION = 1;

    public FrictionBucketSerde() {
        super("a friction bucket", FrictionBucketSerde::write, FrictionBucketSerde::read);
    }

    private static void write(FrictionBucket bucket, DataOutputStream out) throws IOException {
        out.writeByte(VERSION);
        writeLongs(out, bucket.counts());
        writeLongs(out, bucket.signals());
        bucket.durations().writeTo(out);
    }

    private static void writeLongs(DataOutputStream out, long[] values) throws IOException {
        out.writeShort(values.length);
        for (long value : values) {
            out.writeLong(value);
        }
    }

    private static FrictionBucket read(DataInputStream in) throws IOException {
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new IOException("unknown friction bucket version " + version);
        }
        long[] counts = readLongs(in, FrictionBucket.COUNTS);
        long[] signals = readLongs(in, FrictionBucket.SIGNALS.length);
        return new FrictionBucket(counts, signals, DurationSketch.readFrom(in));
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
