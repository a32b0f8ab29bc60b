package io.cxpulse.streams.friction;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One customer's NPS responses within the lateness horizon, kept apart from the {@link CustomerHistory} (so that a
 * response writes these few bytes, not the whole history): a touchpoint timestamped before one of them that
 * arrives later is joined to it too. At most {@link #MAX_PER_CUSTOMER} are kept, the latest in event time, so a
 * customer who answers far more often than that cannot make each response cost more. Mutable; not thread-safe.
 */
public final class KeptResponses {
    /** The most responses kept per customer. */
    public static final int MAX_PER_CUSTOMER = 50;
    private static final int STATE_VERSION = 1;
    private final List<Kept> responses = new ArrayList<>();

    /** A response: its time and whether it is a detractor's. */
    public record Kept(long at, boolean detractor) {
    }

    /** Keeps a response, forgetting the earliest one when more than {@link #MAX_PER_CUSTOMER} would be kept. */
    public void add(long at, boolean detractor) {
        responses.add(new Kept(at, detractor));
        if (responses.size() > MAX_PER_CUSTOMER) {
            Kept earliest = responses.get(0);
            for (Kept response : responses) {
                if (response.at() < earliest.at()) {
                    earliest = response;
                }
            }
            responses.remove(earliest);
        }
    }

    /** The responses, in the order they arrived: a read-only view. */
    public List<Kept> all() {
        return Collections.unmodifiableList(responses);
    }

    /** Forgets the responses before {@code keptSince}, which no touchpoint can still reach; whether any went. */
    public boolean pruneBefore(long keptSince) {
        return responses.removeIf(response -> response.at() < keptSince);
    }

    public boolean isEmpty() {
        return responses.isEmpty();
    }

    /** Writes a version, then each response's time and whether it is a detractor's. */
    void writeTo(DataOutputStream out) throws IOException {
        out.writeByte(STATE_VERSION);
        out.writeInt(responses.size());
        for (Kept response : responses) {
            out.writeLong(response.at());
            out.writeBoolean(response.detractor());
        }
    }

    static KeptResponses readFrom(DataInputStream in) throws IOException {
        int version = in.readUnsignedByte();
        if (version != STATE_VERSION) {
            throw new IOException("unknown kept responses version " + version);
        }
        KeptResponses kept = new KeptResponses();
        int size = in.readInt();
        for (int i = 0; i < size; i++) {
            kept.add(in.readLong(), in.readBoolean());
        }
        return kept;
    }
}
