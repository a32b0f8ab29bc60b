package io.cxpulse.streams.ticket;

import java.util.Arrays;
import java.util.Objects;

import io.cxpulse.streams.ticket.TicketLifecycle.Kind;
import io.cxpulse.streams.ticket.TicketLifecycle.Settled;
import io.cxpulse.streams.window.BucketWindows;
import io.cxpulse.streams.window.DurationSketch;

/**
 * The ticket durations reported in one bucket of event time for one cell (channel, priority, queue), or the sum of
 * such buckets: per kind of duration, a sketch of those reported and a sketch of those taken back (subtracted when
 * read, since DDSketch only adds), and the resolved tickets with how many were reopened and how many one-touch. A
 * figure that a late event corrected, or a resolution a reopen undid, is taken back out of its bucket, so a window
 * counts each ticket's figures once, as they stand. Mutable; not thread-safe.
 */
public final class TicketBucket implements BucketWindows.Additive<TicketBucket> {
    private static final int KINDS = Kind.values().length;
    private final DurationSketch[] added;
    private final DurationSketch[] retracted;
    private long resolved;
    private long reopened;
    private long oneTouch;

    /** A bucket of these sketches (one a {@link Kind}, in its order) and counts. */
    TicketBucket(DurationSketch[] added, DurationSketch[] retracted, long resolved, long reopened, long oneTouch) {
        if (added.length != KINDS || retracted.length != KINDS) {
            throw new IllegalArgumentException("a ticket bucket has one sketch a kind of duration");
        }
        this.added = added;
        this.retracted = retracted;
        this.resolved = resolved;
        this.reopened = reopened;
        this.oneTouch = oneTouch;
    }

    public static TicketBucket empty() {
        return new TicketBucket(emptySketches(), emptySketches(), 0, 0, 0);
    }

    private static DurationSketch[] emptySketches() {
        DurationSketch[] sketches = new DurationSketch[KINDS];
        Arrays.setAll(sketches, i -> DurationSketch.empty());
        return sketches;
    }

    /** A bucket of just {@code settled}, at its own time and facets. */
    public static TicketBucket of(Settled settled) {
        TicketBucket bucket = empty();
        bucket.added[settled.kind().ordinal()].add(settled.duration());
        bucket.count(settled, 1);
        return bucket;
    }

    /** A bucket that takes back {@code reported}, a figure reported earlier, in its own bucket and cell. */
    public static TicketBucket retraction(Settled reported) {
        TicketBucket bucket = empty();
        bucket.retracted[reported.kind().ordinal()].add(reported.duration());
        bucket.count(reported, -1);
        return bucket;
    }

    private void count(Settled figure, long sign) {
        if (figure.kind() == Kind.FULL_RESOLUTION) {
            resolved += sign;
            reopened += figure.facets().reopened() ? sign : 0;
            oneTouch += figure.facets().oneTouch() ? sign : 0;
        }
    }

    /** Adds every duration and count of {@code other} to this bucket; returns this. */
    @Override
    public TicketBucket addAll(TicketBucket other) {
        for (int i = 0; i < KINDS; i++) {
            added[i].merge(other.added[i]);
            retracted[i].merge(other.retracted[i]);
        }
        resolved += other.resolved;
        reopened += other.reopened;
        oneTouch += other.oneTouch;
        return this;
    }

    /** An independent copy. */
    public TicketBucket copy() {
        DurationSketch[] addedCopy = new DurationSketch[KINDS];
        DurationSketch[] retractedCopy = new DurationSketch[KINDS];
        Arrays.setAll(addedCopy, i -> added[i].copy());
        Arrays.setAll(retractedCopy, i -> retracted[i].copy());
        return new TicketBucket(addedCopy, retractedCopy, resolved, reopened, oneTouch);
    }

    /** The durations of {@code kind} that count here: those reported, less those taken back. */
    public DurationSketch of(Kind kind) {
        return added[kind.ordinal()].minus(retracted[kind.ordinal()]);
    }

    /** OPENED to first AGENT_REPLIED, of the tickets whose first reply fell here. */
    public DurationSketch firstResponse() {
        return of(Kind.FIRST_RESPONSE);
    }

    /** OPENED to first RESOLVED, of the tickets first resolved here. */
    public DurationSketch firstResolution() {
        return of(Kind.FIRST_RESOLUTION);
    }

    /** OPENED to last RESOLVED, of the tickets resolved now whose latest resolution fell here. */
    public DurationSketch fullResolution() {
        return of(Kind.FULL_RESOLUTION);
    }

    /** The tickets resolved now whose latest resolution fell here. */
    public long resolved() {
        return resolved;
    }

    /** Of {@link #resolved}, those reopened at least once. */
    public long reopened() {
        return reopened;
    }

    /** Of {@link #resolved}, those resolved with one agent reply and never reopened. */
    public long oneTouch() {
        return oneTouch;
    }

    /** The share of resolved tickets that were reopened, or null with none resolved. */
    public Double reopenRate() {
        return resolved <= 0 ? null : (double) reopened / resolved;
    }

    /** The share of resolved tickets resolved in one touch, or null with none resolved. */
    public Double oneTouchRate() {
        return resolved <= 0 ? null : (double) oneTouch / resolved;
    }

    /** The sketch of durations of {@code kind} reported here, before what was taken back: for the serde. */
    DurationSketch added(Kind kind) {
        return added[kind.ordinal()];
    }

    /** The sketch of durations of {@code kind} taken back here: for the serde. */
    DurationSketch retracted(Kind kind) {
        return retracted[kind.ordinal()];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TicketBucket that && resolved == that.resolved && reopened == that.reopened
                && oneTouch == that.oneTouch && Arrays.equals(added, that.added)
                && Arrays.equals(retracted, that.retracted);
    }

    @Override
    public int hashCode() {
        return Objects.hash(resolved, reopened, oneTouch, Arrays.hashCode(added), Arrays.hashCode(retracted));
    }
}
