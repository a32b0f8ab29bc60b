package io.cxpulse.streams;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

import io.cxpulse.common.Draining;

import org.apache.kafka.streams.KafkaStreams.State;

/**
 * What {@code /health/live} and {@code /health/ready} of metrics-streams mean.
 *
 * <ul>
 *   <li>Ready: the instance can answer queries. That is RUNNING, and also a rebalance shorter than
 *       {@code health.rebalance.grace} once it has run: its tasks keep running through a cooperative rebalance,
 *       and a key that moves answers 503 with Retry-After. Not ready while it starts and restores, after it
 *       has rebalanced for longer, and from the moment it is told to stop.</li>
 *   <li>Live: Kafka Streams has not failed for good (ERROR, or stopped without being asked), and its threads are
 *       not dying over and over (more than {@code health.thread.replacements.max} replaced in
 *       {@code health.thread.replacements.window}). A process that is not live should be restarted.</li>
 * </ul>
 */
final class StreamsHealth {
    /** The answer to a health check, with the reason shown to operators. */
    record Verdict(boolean up, String detail) {
    }

    private final Duration rebalanceGrace;
    private final int maxReplacements;
    private final Duration replacementWindow;
    private final LongSupplier nanos;
    private final Deque<Long> replacements = new ArrayDeque<>();
    private volatile boolean hasRun;
    private volatile long rebalancingSince = -1;
    private final Draining draining;

    /** @param draining set once the service is told to stop: readiness fails from then on, liveness holds */
    StreamsHealth(Duration rebalanceGrace, int maxReplacements, Duration replacementWindow, LongSupplier nanos,
            Draining draining) {
        this.rebalanceGrace = rebalanceGrace;
        this.maxReplacements = maxReplacements;
        this.replacementWindow = replacementWindow;
        this.nanos = nanos;
        this.draining = draining;
    }

    /** Kafka Streams' state listener. */
    void onChange(State now) {
        if (now == State.RUNNING) {
            hasRun = true;
            rebalancingSince = -1;
        } else if (now == State.REBALANCING) {
            if (rebalancingSince < 0) {
                rebalancingSince = nanos.getAsLong();
            }
        }
    }

    /** A stream thread died and was replaced. */
    synchronized void onThreadReplaced() {
        replacements.addLast(nanos.getAsLong());
    }

    /** Whether the threads have died more often than allowed, recently: then a thread is not replaced again. */
    synchronized boolean threadsKeepDying() {
        long horizon = nanos.getAsLong() - replacementWindow.toNanos();
        while (!replacements.isEmpty() && replacements.peekFirst() < horizon) {
            replacements.removeFirst();
        }
        return replacements.size() > maxReplacements;
    }

    Verdict ready(State state) {
        if (draining.draining()) {
            return new Verdict(false, "STOPPING");
        }
        if (state == State.RUNNING) {
            return new Verdict(true, state.name());
        }
        if (state == State.REBALANCING && hasRun) {
            long since = rebalancingSince;
            boolean brief = since >= 0 && nanos.getAsLong() - since <= rebalanceGrace.toNanos();
            return new Verdict(brief, brief ? "REBALANCING (answering)" : "REBALANCING for over "
                    + rebalanceGrace.toSeconds() + " s");
        }
        return new Verdict(false, state.name());
    }

    Verdict live(State state) {
        if (state == State.ERROR || state == State.PENDING_ERROR) {
            return new Verdict(false, state.name());
        }
        if ((state == State.NOT_RUNNING || state == State.PENDING_SHUTDOWN) && !draining.draining()) {
            return new Verdict(false, state.name() + " without being asked to stop");
        }
        if (threadsKeepDying()) {
            return new Verdict(false, "stream threads replaced more than " + maxReplacements + " times in "
                    + replacementWindow.toMinutes() + " min");
        }
        return new Verdict(true, state.name());
    }
}
