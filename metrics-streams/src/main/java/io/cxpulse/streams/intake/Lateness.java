package io.cxpulse.streams.intake;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.cxpulse.common.EventAge;
import io.cxpulse.common.LayeredConfig;
import io.cxpulse.common.Setting;
import io.cxpulse.common.SettingSet;

/**
 * How late and how early an event may reach metrics-streams and still count: one rule for every input, drawn from
 * what ingest accepts. An event ingest accepted is at most {@code maxAge} older than its receipt; metrics-streams
 * reads it at most {@code maxLag} after that; and no input's progress (the latest occurredAt counted on it) is more
 * than {@code maxSkew} ahead of the clock, since an event further ahead is dead-lettered as FUTURE_EVENT. So an
 * accepted event is at most the {@link #horizon} behind its own input's progress, and that is how far behind it
 * counts: only a metrics-streams stopped for longer than {@code maxLag}, or a producer bypassing ingest, can bring
 * an event later than that (dead-lettered as LATE_EVENT and counted).
 *
 * @param maxAge  the oldest occurredAt ingest accepts, before the receipt ({@link EventAge#MAX_AGE})
 * @param maxLag  how long after its receipt metrics-streams may read an event and still count it
 * @param maxSkew how far ahead of the clock an occurredAt may be ({@link EventAge#MAX_CLOCK_SKEW})
 */
public record Lateness(Duration maxAge, Duration maxLag, Duration maxSkew) {
    public static final Setting<Duration> MAX_LAG = Setting.positiveDuration("events.max.lag", "P2D",
            "How long after ingest received an event metrics-streams may read it and still count it (a stopped or "
                    + "lagging metrics-streams); the lateness horizon is `events.max.age` plus this plus "
                    + "`events.max.clock.skew`.");
    /** The settings the rule is read from. */
    public static final List<Setting<?>> SETTINGS = SettingSet.concat(EventAge.SETTINGS, List.of(MAX_LAG));

    public Lateness {
        if (maxAge.isNegative() || maxLag.isNegative() || maxSkew.isNegative()) {
            throw new IllegalArgumentException("the lateness bounds must not be negative");
        }
    }

    /** The rule in {@code config}. */
    public static Lateness from(LayeredConfig config) {
        return new Lateness(EventAge.MAX_AGE.read(config), MAX_LAG.read(config), EventAge.MAX_CLOCK_SKEW.read(config));
    }

    /** How far behind its input's progress an event may be and still count. */
    public Duration horizon() {
        return maxAge.plus(maxLag).plus(maxSkew);
    }

    /** The defaults with {@code overrides} (by key) over them, and {@code settings}' defaults beside them. */
    public static LayeredConfig over(List<Setting<?>> settings, Map<String, String> overrides) {
        return LayeredConfig.over(SettingSet.concat(SETTINGS, settings), overrides);
    }
}
