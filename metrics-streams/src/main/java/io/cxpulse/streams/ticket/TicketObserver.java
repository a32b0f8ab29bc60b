package io.cxpulse.streams.ticket;

import java.util.Map;

import io.cxpulse.avro.DeadLetterReason;
import io.cxpulse.avro.TicketEvent;
import io.cxpulse.avro.TicketPriority;
import io.cxpulse.streams.intake.EventIntake;
import io.cxpulse.streams.ticket.TicketLifecycle.Settled;
import io.cxpulse.streams.window.RollingWindow;

/** What the ticket topology reports as it goes, for metrics: called on stream threads, so it must not block. */
public interface TicketObserver extends EventIntake.Observer<TicketEvent> {

    /** A duration reported: a new figure, or one that replaces a figure a late event changed. */
    void settled(Settled settled);

    /** A figure reported earlier and taken back: a late event changed it, or a reopen undid a resolution. */
    void retracted(Settled retracted);

    /** A ticket breached the first-response target of {@code priority}. */
    void breached(TicketPriority priority);

    /**
     * {@code task}'s open tickets without a first agent reply, by priority and age bucket (see
     * {@link BacklogAge}), at its stream time.
     */
    void backlog(String task, Map<TicketPriority, long[]> counts);

    /** The latest sum of one cell's buckets in {@code window}, owned by {@code task}. */
    void window(String task, TicketCell cell, RollingWindow window, long windowEnd, TicketBucket sum);

    /** {@code task}'s stream time, reported as it settles or emits. */
    void streamTime(String task, long streamTime);

    /** {@code task} no longer runs here: forget what it reported. */
    void closed(String task);

    /** Reports nothing: for tests that do not look. */
    TicketObserver NONE = new TicketObserver() {
        @Override
        public void counted(TicketEvent event) {
        }

        @Override
        public void duplicate() {
        }

        @Override
        public void deadLettered(DeadLetterReason reason) {
        }

        @Override
        public void settled(Settled settled) {
        }

        @Override
        public void retracted(Settled retracted) {
        }

        @Override
        public void breached(TicketPriority priority) {
        }

        @Override
        public void backlog(String task, Map<TicketPriority, long[]> counts) {
        }

        @Override
        public void window(String task, TicketCell cell, RollingWindow window, long windowEnd, TicketBucket sum) {
        }

        @Override
        public void streamTime(String task, long streamTime) {
        }

        @Override
        public void closed(String task) {
        }
    };
}
