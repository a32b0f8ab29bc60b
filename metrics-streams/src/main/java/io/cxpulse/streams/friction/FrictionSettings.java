package io.cxpulse.streams.friction;

import java.time.Duration;

import io.cxpulse.streams.alert.ShareAlertRule;
import io.cxpulse.streams.intake.EventIntake;
import io.cxpulse.streams.intake.SeenEventIds;
import io.cxpulse.streams.window.RollingWindow;

/**
 * How the friction topology keeps its state and aggregates.
 *
 * @param grace            how far behind stream time a touchpoint may be and still count
 * @param dedupRetention   how long an eventId is remembered
 * @param dedupIdsInMemory per intake task, how many of the remembered eventIds may be located in memory, so that
 *                         counting one costs no RocksDB write and looking one up no read (21 to 43 bytes each);
 *                         past it they are indexed in RocksDB instead (0: always)
 * @param history          how long a customer's touchpoints are kept: the repeated-contact horizon and how far
 *                         back an NPS response is joined to touchpoints (7 days)
 * @param maxVisits        the most touchpoint visits kept per customer (the oldest go first)
 * @param maxContacts      the most support contacts kept per customer
 * @param customersInMemory how many customers' histories and kept responses each task holds in memory as objects
 *                         (the most recently used), so that they are not read back and written on every event
 * @param minuteRetention  how long minute buckets are kept
 * @param hourRetention    how long hour buckets are kept
 * @param emitInterval     how often (wall-clock time) changed windows are summed and alerts evaluated
 * @param sweepInterval    how often (wall-clock time) histories past their retention are removed
 * @param alerts           when a touchpoint's 1h friction rate is far enough above its 7-day baseline to alert
 *                         (its minimum is in events)
 * @param liftMinResponses the fewest NPS responses in each group (met friction, passed cleanly) for a lift to be
 *                         called significant
 * @param liftZ            the |z| of the two-proportion test at or above which a lift is significant
 */
public record FrictionSettings(Duration grace, Duration dedupRetention, int dedupIdsInMemory, Duration history,
        int maxVisits,
        int maxContacts, int customersInMemory, Duration minuteRetention, Duration hourRetention, Duration emitInterval,
        Duration sweepInterval, ShareAlertRule alerts, int liftMinResponses, double liftZ) {
    public FrictionSettings {
        RollingWindow.checkRetention(minuteRetention, hourRetention, dedupRetention, grace);
        SeenEventIds.checkMaxLocated(dedupIdsInMemory);
        if (history.isNegative() || history.isZero()) {
            throw new IllegalArgumentException("the history must be positive, not " + history);
        }
        if (maxVisits < 1 || maxContacts < 1) {
            throw new IllegalArgumentException("a history keeps at least one visit and one contact");
        }
        if (customersInMemory < 1) {
            throw new IllegalArgumentException("at least one customer must fit in memory, not " + customersInMemory);
        }
        if (liftMinResponses < 1 || liftZ <= 0) {
            throw new IllegalArgumentException("the lift needs at least one response per group and a positive z");
        }
    }

    /** What the intake needs: grace and deduplication. */
    public EventIntake.Settings intake() {
        return new EventIntake.Settings(grace, dedupRetention, dedupIdsInMemory);
    }

    /**
     * The defaults: 1h grace, 7 days of deduplication (250,000 ids in memory per task) and of history (at most 200
     * visits and 50 contacts per customer; 5,000 customers in memory per task), minute buckets for 2 days and hour
     * buckets for 35, emitted every second, swept every 10 minutes; alerts at z 3 (resolving at 1) with at least 50
     * events in the hour; lifts significant at |z| 1.96 with 30 responses per group.
     */
    public static FrictionSettings defaults() {
        return new FrictionSettings(Duration.ofHours(1), Duration.ofDays(7), SeenEventIds.DEFAULT_MAX_LOCATED,
                Duration.ofDays(7), 200, 50, 5_000,
                Duration.ofDays(2), Duration.ofDays(35), Duration.ofSeconds(1), Duration.ofMinutes(10),
                new ShareAlertRule(3.0, 1.0, 50), 30, 1.96);
    }

    /** These settings with {@code customers} customers in memory per task. */
    public FrictionSettings withCustomersInMemory(int customers) {
        return new FrictionSettings(grace, dedupRetention, dedupIdsInMemory, history, maxVisits, maxContacts, customers,
                minuteRetention, hourRetention, emitInterval, sweepInterval, alerts, liftMinResponses, liftZ);
    }
}
