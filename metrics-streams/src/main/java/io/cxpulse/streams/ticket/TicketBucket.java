package io.cxpulse.streams.ticket;

import java.util.Objects;

import io.cxpulse.streams.ticket.TicketLifecycle.Settled;
import io.cxpulse.streams.window.BucketWindows;
import io.cxpulse.streams.window.DurationSketch;

/**
 * The ticket durations that became final in one bucket of event time for one cell (channel, priority, queue),
 * or the sum of such buckets: a sketch per duration, and the resolved tickets with how many were reopened and how
 * many one-touch. A full resolution that a later one superseded is taken back out: its duration goes into a sketch
 * of retracted ones (subtracted when read, since DDSketch only adds) and its counts are subtracted, so a window
 * counts each ticket once, at its latest resolution. Mutable; not thread-safe.
 */
public final class TicketBucket implements BucketWindows.Additive<TicketBucket> {
    private final DurationSketch firstResponse;
    private final DurationSketch firstResolution;
    private final DurationSketch fullResolution;
    private final DurationSketch fullRetracted;
    private long resolved;
    private long reopened;
    private long oneTouch;

    TicketBucket(DurationSketch firstResponse, DurationSketch firstResolution, DurationSketch fullResolution,
            DurationSketch fullRetracted, long resolved, long reopened, long oneTouch) {
        this.firstResponse = firstResponse;
        this.firstResolution = firstResolution;
        this.fullResolution = fullResolution;
        this.fullRetracted = fullRetracted;
        this.resolved = resolved;
        this.reopened = reopened;
        this.oneTouch = oneTouch;
    }

    public static TicketBucket empty() {
        return new TicketBucket(DurationSketch.empty(), DurationSketch.empty(), DurationSketch.empty(),
                DurationSketch.empty(), 0, 0, 0);
    }

    /** A bucket of just {@code settled}, at its own time and facets (its superseded one is not included). */
    public static TicketBucket of(Settled settled) {
        TicketBucket bucket = empty();
        switch (settled.kind()) {
            case FIRST_RESPONSE -> bucket.firstResponse.add(settled.duration());
            case FIRST_RESOLUTION -> bucket.firstResolution.add(settled.duration());
            case FULL_RESOLUTION -> {
                bucket.fullResolution.add(settled.duration());
                bucket.count(settled, 1);
            }
            default -> throw new IllegalArgumentException("not a ticket duration: " + settled.kind());
        }
        return bucket;
    }

    /** A bucket that takes back {@code superseded}, a full resolution reported earlier. */
    public static TicketBucket retraction(Settled superseded) {
        if (superseded.kind() != TicketLifecycle.Kind.FULL_RESOLUTION) {
            throw new IllegalArgumentException("only a full resolution is superseded, not " + superseded.kind());
        }
        TicketBucket bucket = empty();
        bucket.fullRetracted.add(superseded.duration());
        bucket.count(superseded, -1);
        return bucket;
    }

    private void count(Settled full, long sign) {
        resolved += sign;
        reopened += full.facets().reopened() ? sign : 0;
        oneTouch += full.facets().oneTouch() ? sign : 0;
    }

    /** Adds every duration and count of {@code other} to this bucket; returns this. */
    @Override
    public TicketBucket addAll(TicketBucket other) {
        firstResponse.merge(other.firstResponse);
        firstResolution.merge(other.firstResolution);
        fullResolution.merge(other.fullResolution);
        fullRetracted.merge(other.fullRetracted);
        resolved += other.resolved;
        reopened += other.reopened;
        oneTouch += other.oneTouch;
        return this;
    }

    /** An independent copy. */
    public TicketBucket copy() {
        return new TicketBucket(firstResponse.copy(), firstResolution.copy(), fullResolution.copy(),
                fullRetracted.copy(), resolved, reopened, oneTouch);
    }

    /** OPENED to first AGENT_REPLIED, of the tickets whose first reply fell here. */
    public DurationSketch firstResponse() {
        return firstResponse;
    }

    /** OPENED to first RESOLVED, of the tickets first resolved here. */
    public DurationSketch firstResolution() {
        return firstResolution;
    }

    /** OPENED to last RESOLVED, of the tickets whose latest resolution fell here (superseded ones taken out). */
    public DurationSketch fullResolution() {
        return fullResolution.minus(fullRetracted);
    }

    /** The tickets whose latest resolution fell here. */
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

    DurationSketch rawFullResolution() {
        return fullResolution;
    }

    DurationSketch fullRetracted() {
        return fullRetracted;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TicketBucket that && resolved == that.resolved && reopened == that.reopened
                && oneTouch == that.oneTouch && firstResponse.equals(that.firstResponse)
                && firstResolution.equals(that.firstResolution) && fullResolution.equals(that.fullResolution)
                && fullRetracted.equals(that.fullRetracted);
    }

    @Override
    public int hashCode() {
        return Objects.hash(resolved, reopened, oneTouch, firstResponse.count(), firstResolution.count(),
                fullResolution.count());
    }
}
