package io.cxpulse.streams.ticket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.cxpulse.avro.TicketPriority;
import io.cxpulse.common.LayeredConfig;
import io.cxpulse.common.Setting;
import io.cxpulse.common.SettingSet;
import io.cxpulse.streams.intake.EventIntake;
import io.cxpulse.streams.intake.Lateness;
import io.cxpulse.streams.window.RollingWindow;

import org.apache.kafka.common.config.ConfigException;

/**
 * How the ticket topology keeps its state and aggregates; the settings are declared below ({@link #SETTINGS}).
 *
 * @param intake          lateness and deduplication of ticket events
 * @param buckets         how long minute and hour buckets of durations are kept
 * @param ticketRetention how long a ticket's state is kept after its latest event; an event on a ticket forgotten by
 *                        then is one on an unknown ticket
 * @param slaWait         how long after a first-response deadline (in ticket event time) a breach waits for a late
 *                        answer before it is reported
 * @param settleInterval  how often (wall-clock time) tickets whose deadlines or waiting events fell due are settled
 * @param emitInterval    how often (wall-clock time) changed windows are summed for metrics and aggregates
 * @param targets         first-response targets by priority; a priority without one has no target
 */
public record TicketSettings(EventIntake.Settings intake, RollingWindow.Retention buckets, Duration ticketRetention,
        Duration slaWait, Duration settleInterval, Duration emitInterval, Map<TicketPriority, Duration> targets) {
    public static final EventIntake.Keys INTAKE = EventIntake.Settings.keys("ticket", "ticket events");
    public static final RollingWindow.Retention.Keys BUCKETS = RollingWindow.Retention.keys("ticket");
    public static final Setting<Duration> RETENTION = Setting.duration("ticket.retention", "P35D",
            "How long a ticket's state is kept after its latest event (longer than the lateness horizon plus the "
                    + "longest first-response target plus `ticket.sla.wait`).");
    public static final Setting<Duration> SLA_WAIT = Setting.duration("ticket.sla.wait", "PT15M",
            "How long after a first-response deadline (in ticket event time) a breach waits for a reply that arrives "
                    + "late before it is reported.");
    public static final Setting<Duration> SETTLE_INTERVAL = Setting.positiveDuration("ticket.settle.interval", "PT1S",
            "How often tickets whose first-response target passed, or whose events wait for an OPENED, are settled.");
    public static final Setting<Duration> EMIT_INTERVAL = Setting.positiveDuration("ticket.emit.interval", "PT1S",
            "How often changed duration windows are summed and emitted.");
    /** The first-response target of each priority. */
    public static final Map<TicketPriority, Setting<Optional<Duration>>> TARGETS = targets(Map.of(
            TicketPriority.URGENT, "PT15M", TicketPriority.HIGH, "PT1H", TicketPriority.NORMAL, "PT4H",
            TicketPriority.LOW, "PT24H"));
    /** Every ticket setting. */
    public static final List<Setting<?>> SETTINGS = SettingSet.concat(INTAKE.all(), BUCKETS.all(),
            List.of(RETENTION, SLA_WAIT, SETTLE_INTERVAL, EMIT_INTERVAL), new ArrayList<>(TARGETS.values()));

    public TicketSettings {
        targets = Map.copyOf(targets);
        RollingWindow.checkRetention(buckets, intake.horizon());
        Duration longestTarget = targets.values().stream().max(Duration::compareTo).orElse(Duration.ZERO);
        Duration needed = intake.horizon().plus(longestTarget).plus(slaWait);
        if (ticketRetention.compareTo(needed) <= 0) {
            throw new IllegalArgumentException("ticket state must be kept longer than the lateness horizon plus the "
                    + "longest first-response target plus the SLA wait (" + needed + "), not " + ticketRetention);
        }
        targets.forEach((priority, target) -> {
            if (target.isNegative() || target.isZero()) {
                throw new IllegalArgumentException("the first-response target of " + priority
                        + " must be positive, not " + target);
            }
        });
    }

    private static Map<TicketPriority, Setting<Optional<Duration>>> targets(Map<TicketPriority, String> defaults) {
        Map<TicketPriority, Setting<Optional<Duration>>> targets = new EnumMap<>(TicketPriority.class);
        defaults.forEach((priority, target) -> targets.put(priority, Setting.positiveDurationOrNone("ticket.target."
                + priority.name().toLowerCase(Locale.ROOT), target, "The first-response target of " + priority
                + " tickets: one with no reply, resolution or close by then is a breach (none: no target).")));
        return targets;
    }

    /** The settings in {@code config}; a bad value fails naming its key. */
    public static TicketSettings from(LayeredConfig config) {
        Map<TicketPriority, Duration> targets = new EnumMap<>(TicketPriority.class);
        TARGETS.forEach((priority, setting) -> setting.read(config).ifPresent(target -> targets.put(priority,
                target)));
        try {
            return new TicketSettings(INTAKE.read(config), BUCKETS.read(config), RETENTION.read(config),
                    SLA_WAIT.read(config), SETTLE_INTERVAL.read(config), EMIT_INTERVAL.read(config), targets);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("ticket.*: " + e.getMessage());
        }
    }

    /** The defaults, with {@code overrides} (by key) over them. */
    public static TicketSettings with(Map<String, String> overrides) {
        return from(Lateness.over(SETTINGS, overrides));
    }

    /** The defaults. */
    public static TicketSettings defaults() {
        return with(Map.of());
    }
}
