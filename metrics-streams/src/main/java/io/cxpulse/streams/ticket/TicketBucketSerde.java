package io.cxpulse.streams.ticket;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import io.cxpulse.streams.state.DataSerde;
import io.cxpulse.streams.ticket.TicketLifecycle.Kind;
import io.cxpulse.streams.window.DurationSketch;

/**
 * A {@link TicketBucket} in bytes, for window stores and the repartition topic: a version, the three counts, and
 * per kind of duration the sketches of those reported and of those taken back, in DDSketch's own encoding, each
 * after its length.
 */
public final class TicketBucketSerde extends DataSerde<TicketBucket> {
    private static final int VERSION = 2;

    public TicketBucketSerde() {
        super("a ticket bucket", TicketBucketSerde::write, TicketBucketSerde::read);
    }

    private static void write(TicketBucket bucket, DataOutputStream out) throws IOException {
        out.writeByte(VERSION);
        out.writeLong(bucket.resolved());
        out.writeLong(bucket.reopened());
        out.writeLong(bucket.oneTouch());
        for (Kind kind : Kind.values()) {
            bucket.added(kind).writeTo(out);
            bucket.retracted(kind).writeTo(out);
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
        int kinds = Kind.values().length;
        DurationSketch[] added = new DurationSketch[kinds];
        DurationSketch[] retracted = new DurationSketch[kinds];
        for (int i = 0; i < kinds; i++) {
            added[i] = DurationSketch.readFrom(in);
            retracted[i] = DurationSketch.readFrom(in);
        }
        return new TicketBucket(added, retracted, resolved, reopened, oneTouch);
    }
}
