package io.cxpulse.streams.ticket;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import io.cxpulse.avro.TicketPriority;
import io.cxpulse.streams.intake.EventIntake;
import io.cxpulse.streams.intake.SeenEventIds;
import io.cxpulse.streams.window.RollingWindow;

/**
 * How the ticket topology keeps its state and aggregates.
 *
 * @param grace            how far behind stream time an event may be and still count; a duration is final (and
 *                         reported) once stream time minus grace has passed the event that completes it
 * @param dedupRetention   how long an eventId is remembered
 * @param dedupIdsInMemory per intake task, how many of the remembered eventIds may be located in memory, so that
 *                         counting one costs no RocksDB write and looking one up no read (21 to 43 bytes each);
 *                         past it they are indexed in RocksDB instead (0: always)
 * @param ticketRetention  how long a ticket's state is kept after its latest event; an event on a ticket forgotten
 *                         by then is one on an unknown ticket
 * @param minuteRetention  how long minute buckets of durations are kept (1h windows)
 * @param hourRetention    how long hour buckets are kept (24h and 7d windows)
 * @param settleInterval   how often (wall-clock time) tickets whose durations or deadlines fell due are settled
 * @param emitInterval     how often (wall-clock time) changed windows are summed for metrics and aggregates
 * @param targets          first-response targets by priority; a priority without one has no target
 */
public record TicketSettings(Duration grace, Duration dedupRetention, int dedupIdsInMemory, Duration ticketRetention,
        Duration minuteRetention, Duration hourRetention, Duration settleInterval, Duration emitInterval,
        Map<TicketPriority, Duration> targets) {
    public TicketSettings {
        targets = Map.copyOf(targets);
        RollingWindow.checkRetention(minuteRetention, hourRetention, dedupRetention, grace);
        SeenEventIds.checkMaxLocated(dedupIdsInMemory);
        Duration longestTarget = targets.values().stream().max(Duration::compareTo).orElse(Duration.ZERO);
        if (ticketRetention.compareTo(grace.plus(longestTarget)) <= 0) {
            throw new IllegalArgumentException("ticket state must be kept longer than the grace period plus the "
                    + "longest first-response target (" + grace.plus(longestTarget) + "), not " + ticketRetention);
        }
        targets.forEach((priority, target) -> {
            if (target.isNegative() || target.isZero()) {
                throw new IllegalArgumentException("the first-response target of " + priority
                        + " must be positive, not " + target);
            }
        });
    }

    /** What the intake needs: grace and deduplication. */
    public EventIntake.Settings intake() {
        return new EventIntake.Settings(grace, dedupRetention, dedupIdsInMemory);
    }

    /** The default first-response targets: URGENT 15 min, HIGH 1 h, NORMAL 4 h, LOW 24 h. */
    public static Map<TicketPriority, Duration> defaultTargets() {
        Map<TicketPriority, Duration> targets = new EnumMap<>(TicketPriority.class);
        targets.put(TicketPriority.URGENT, Duration.ofMinutes(15));
        targets.put(TicketPriority.HIGH, Duration.ofHours(1));
        targets.put(TicketPriority.NORMAL, Duration.ofHours(4));
        targets.put(TicketPriority.LOW, Duration.ofHours(24));
        return targets;
    }

    /**
     * The defaults: 1h grace, 7 days of deduplication (250,000 ids in memory per task), ticket state for 35 days after
     * its last event, minute buckets for 2 days and hour buckets for 35, settled every second, emitted every second,
     * the default targets.
     */
    public static TicketSettings defaults() {
        return new TicketSettings(Duration.ofHours(1), Duration.ofDays(7), SeenEventIds.DEFAULT_MAX_LOCATED,
                Duration.ofDays(35), Duration.ofDays(2),
                Duration.ofDays(35), Duration.ofSeconds(1), Duration.ofSeconds(1), defaultTargets());
    }
}
