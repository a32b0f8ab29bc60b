package io.cxpulse.streams.ticket;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import io.cxpulse.streams.state.DataSerde;
import io.cxpulse.streams.window.DurationSketch;

/**
 * A {@link TicketBucket} in bytes, for window stores and the repartition topic: a version, the three counts, and
 * the four sketches in DDSketch's own encoding, each after its length.
 */
public final class TicketBucketSerde extends DataSerde<TicketBucket> {
    private static final int VERSION = 1;

    public TicketBucketSerde() {
        super("a ticket bucket", TicketBucketSerde::write, TicketBucketSerde::read);
    }

    private static void write(TicketBucket bucket, DataOutputStream out) throws IOException {
        out.writeByte(VERSION);
        out.writeLong(bucket.resolved());
        out.writeLong(bucket.reopened());
        out.writeLong(bucket.oneTouch());
        for (DurationSketch sketch : new DurationSketch[] {bucket.firstResponse(), bucket.firstResolution(),
                bucket.rawFullResolution(), bucket.fullRetracted()}) {
            sketch.writeTo(out);
        }
    }

    private static TicketBucket read(DataInputStream in) throws IOException {
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new IOException("unknown ticket bucket version " + version);
        }
        long resolved = in.readLong();
        long reopened = in.readLong();
        long oneTouch = in.readLong();
        DurationSketch[] sketches = new DurationSketch[4];
        for (int i = 0; i < sketches.length; i++) {
            sketches[i] = DurationSketch.readFrom(in);
        }
        return new TicketBucket(sketches[0], sketches[1], sketches[2], sketches[3], resolved, reopened, oneTouch);
    }
}
