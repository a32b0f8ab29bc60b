package io.cxpulse.streams.friction;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.cxpulse.common.LayeredConfig;
import io.cxpulse.common.Setting;
import io.cxpulse.common.SettingSet;
import io.cxpulse.streams.alert.ShareAlertRule;
import io.cxpulse.streams.intake.EventIntake;
import io.cxpulse.streams.intake.Lateness;
import io.cxpulse.streams.window.RollingWindow;

import org.apache.kafka.common.config.ConfigException;

/**
 * How the friction topology keeps its state and aggregates; the settings are declared below ({@link #SETTINGS}).
 *
 * @param intake            lateness and deduplication of touchpoints
 * @param buckets           how long minute and hour buckets are kept
 * @param history           how long a customer's touchpoints are kept: the repeated-contact horizon and how far
 *                          back an NPS response is joined to touchpoints
 * @param maxVisits         the most touchpoint visits kept per customer (the oldest go first)
 * @param maxContacts       the most support contacts kept per customer
 * @param customersInMemory how many customers' histories and kept responses each task holds in memory as objects
 *                          (the most recently used), so that they are not read back and written on every event
 * @param emitInterval      how often (wall-clock time) changed windows are summed and alerts evaluated
 * @param sweepInterval     how often (wall-clock time) histories past their retention are removed
 * @param alerts            when a touchpoint's recent friction rate has risen above its 7-day baseline
 *                          (its minimum is in events)
 * @param liftMinResponses  the fewest NPS responses in each group (met friction, passed cleanly) for a lift to be
 *                          called significant
 * @param liftZ             the |z| of the two-proportion test at or above which a lift is significant
 */
public record FrictionSettings(EventIntake.Settings intake, RollingWindow.Retention buckets, Duration history,
        int maxVisits, int maxContacts, int customersInMemory, Duration emitInterval, Duration sweepInterval,
        ShareAlertRule alerts, int liftMinResponses, double liftZ) {
    /** The most support contacts kept per customer. */
    public static final int MAX_CONTACTS = 50;
    public static final EventIntake.Keys INTAKE = EventIntake.Settings.keys("friction", "touchpoints");
    public static final RollingWindow.Retention.Keys BUCKETS = RollingWindow.Retention.keys("friction");
    public static final Setting<Duration> HISTORY = Setting.positiveDuration("friction.history", "P7D",
            "How long a customer's touchpoints are kept: the repeated-contact horizon, and how far back an NPS "
                    + "response is joined to touchpoints.");
    public static final Setting<Integer> MAX_VISITS = Setting.integer("friction.history.max.visits", 200, 1,
            100_000, "The most touchpoint visits kept per customer; the oldest go first.");
    public static final Setting<Integer> CUSTOMERS_IN_MEMORY = Setting.integer("friction.customers.in.memory",
            5_000, 1, 10_000_000, "Per task, the recently seen customers whose histories are held in memory as "
                    + "objects and written once per commit (about 4 KB each with 25 visits).");
    public static final Setting<Duration> EMIT_INTERVAL = Setting.positiveDuration("friction.emit.interval", "PT1S",
            "How often changed friction windows are summed and emitted and friction alerts evaluated.");
    public static final Setting<Duration> SWEEP_INTERVAL = Setting.positiveDuration("friction.sweep.interval",
            "PT10M", "How often histories past `friction.history` are removed.");
    public static final ShareAlertRule.Keys ALERTS = ShareAlertRule.keys("friction.alerts", "friction rate",
            "events", 500);
    public static final Setting<Integer> LIFT_MIN_RESPONSES = Setting.integer("friction.lift.min.responses", 30, 1,
            1_000_000, "NPS responses needed in each group (met friction, passed cleanly) for a lift to be "
                    + "significant.");
    public static final Setting<Double> LIFT_Z = Setting.number("friction.lift.z", "1.96",
            "The |z| of the two-proportion test at or above which a detractor lift is significant (above 0).");
    /** Every friction setting. */
    public static final List<Setting<?>> SETTINGS = SettingSet.concat(INTAKE.all(), List.of(HISTORY, MAX_VISITS,
            CUSTOMERS_IN_MEMORY), BUCKETS.all(), List.of(EMIT_INTERVAL, SWEEP_INTERVAL), ALERTS.all(),
            List.of(LIFT_MIN_RESPONSES, LIFT_Z));

    public FrictionSettings {
        RollingWindow.checkRetention(buckets, intake.horizon());
        alerts.checkMemory(buckets);
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

    /** The settings in {@code config}; a bad value fails naming its key. */
    public static FrictionSettings from(LayeredConfig config) {
        try {
            return new FrictionSettings(INTAKE.read(config), BUCKETS.read(config), HISTORY.read(config),
                    MAX_VISITS.read(config), MAX_CONTACTS, CUSTOMERS_IN_MEMORY.read(config),
                    EMIT_INTERVAL.read(config), SWEEP_INTERVAL.read(config), ALERTS.read(config),
                    LIFT_MIN_RESPONSES.read(config), LIFT_Z.read(config));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("friction.*: " + e.getMessage());
        }
    }

    /** The defaults, with {@code overrides} (by key) over them. */
    public static FrictionSettings with(Map<String, String> overrides) {
        return from(Lateness.over(SETTINGS, overrides));
    }

    /** The defaults. */
    public static FrictionSettings defaults() {
        return with(Map.of());
    }
}
