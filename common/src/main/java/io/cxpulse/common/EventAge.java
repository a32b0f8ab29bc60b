package io.cxpulse.common;

import java.time.Duration;
import java.util.List;

/**
 * How old, and how far ahead of the clock, an event's {@code occurredAt} may be: one pair of settings that both
 * services read. Ingest refuses what falls outside them; metrics-streams keeps its state long enough to count every
 * event ingest accepts, and dead-letters an event ahead of the clock (one that bypassed ingest) so that it cannot
 * move event time forward. Set them once for both services (docs/design.md, "Late and early events").
 */
public final class EventAge {
    public static final Setting<Duration> MAX_AGE = Setting.positiveDuration("events.max.age", "P30D",
            "The oldest `occurredAt` counted, before the time it was received: ingest refuses older events (422), "
                    + "and metrics-streams keeps state to count every younger one. Set the same for both services.");
    public static final Setting<Duration> MAX_CLOCK_SKEW = Setting.duration("events.max.clock.skew", "PT5M",
            "How far after the time it was received (ingest) or read (metrics-streams) an `occurredAt` may be, "
                    + "since clocks differ. Set the same for both services.");
    /** Both settings. */
    public static final List<Setting<?>> SETTINGS = List.of(MAX_AGE, MAX_CLOCK_SKEW);

    private EventAge() {
    }

    /** A bound in words: whole days, hours or minutes as such ("30 days"), anything else in ISO-8601. */
    public static String describe(Duration bound) {
        if (!bound.isZero() && bound.equals(Duration.ofDays(bound.toDays()))) {
            return plural(bound.toDays(), "day");
        }
        if (!bound.isZero() && bound.equals(Duration.ofHours(bound.toHours()))) {
            return plural(bound.toHours(), "hour");
        }
        if (bound.equals(Duration.ofMinutes(bound.toMinutes()))) {
            return plural(bound.toMinutes(), "minute");
        }
        return bound.toString();
    }

    private static String plural(long count, String unit) {
        return count + " " + unit + (count == 1 ? "" : "s");
    }
}
