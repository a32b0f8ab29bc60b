package io.cxpulse.streams.ticket;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A {@link TicketBucket} in bytes, for window stores and the repartition topic: a version, the three counts, and
 * the four sketches in DDSketch's own encoding, each after its length.
 */
public final class TicketBucketSerde implements Serde<TicketBucket> {
    private static final int VERSION = 1;

    @Override
    public Serializer<TicketBucket> serializer() {
        return (topic, bucket) -> bucket == null ? null : write(bucket);
    }

    @Override
    public Deserializer<TicketBucket> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return read(bytes);
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("not a ticket bucket (" + bytes.length + " bytes) in " + topic, e);
            }
        };
    }

    static byte[] write(TicketBucket bucket) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(bucket.resolved());
            out.writeLong(bucket.reopened());
            out.writeLong(bucket.oneTouch());
            for (DurationSketch sketch : new DurationSketch[] {bucket.firstResponse(), bucket.firstResolution(),
                    bucket.rawFullResolution(), bucket.fullRetracted()}) {
                byte[] encoded = sketch.toBytes();
                out.writeInt(encoded.length);
                out.write(encoded);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }

    static TicketBucket read(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new IOException("unknown ticket bucket version " + version);
        }
        long resolved = in.readLong();
        long reopened = in.readLong();
        long oneTouch = in.readLong();
        DurationSketch[] sketches = new DurationSketch[4];
        for (int i = 0; i < sketches.length; i++) {
            int length = in.readInt();
            if (length < 0 || length > in.available()) {
                throw new IOException("a sketch of " + length + " bytes does not fit in what is left");
            }
            sketches[i] = DurationSketch.fromBytes(in.readNBytes(length));
        }
        if (in.available() > 0) {
            throw new IOException(in.available() + " bytes left over");
        }
        return new TicketBucket(sketches[0], sketches[1], sketches[2], sketches[3], resolved, reopened, oneTouch);
    }
}
