package io.cxpulse.streams.survey;

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
 * How the survey topology keeps and emits its aggregates; the settings are declared below ({@link #SETTINGS}).
 *
 * @param intake          lateness and deduplication of survey responses
 * @param buckets         how long minute and hour buckets are kept
 * @param combineInterval how often the sums of new responses per key and minute cross to the tasks that own the
 *                        keys (wall-clock time)
 * @param emitInterval    how often changed aggregates are emitted and alerts evaluated (wall-clock time)
 * @param alerts          the detractor alert rule, on NPS responses
 */
public record SurveySettings(EventIntake.Settings intake, RollingWindow.Retention buckets, Duration combineInterval,
        Duration emitInterval, ShareAlertRule alerts) {
    public static final EventIntake.Keys INTAKE = EventIntake.Settings.keys("survey", "survey responses");
    public static final RollingWindow.Retention.Keys BUCKETS = RollingWindow.Retention.keys("survey");
    public static final Setting<Duration> COMBINE_INTERVAL = Setting.positiveDuration("survey.combine.interval",
            "PT0.1S", "How often the sums of new responses cross to the tasks that own their dimension keys.");
    public static final Setting<Duration> EMIT_INTERVAL = Setting.positiveDuration("survey.emit.interval", "PT1S",
            "How often changed survey aggregates are emitted and detractor alerts evaluated.");
    public static final ShareAlertRule.Keys ALERTS = ShareAlertRule.keys("survey.alerts", "detractor share",
            "responses", 200);
    /** Every survey setting. */
    public static final List<Setting<?>> SETTINGS = SettingSet.concat(INTAKE.all(), BUCKETS.all(),
            List.of(COMBINE_INTERVAL, EMIT_INTERVAL), ALERTS.all());

    public SurveySettings {
        RollingWindow.checkRetention(buckets, intake.horizon());
        alerts.checkMemory(buckets);
    }

    /** The settings in {@code config}; a bad value fails naming its key. */
    public static SurveySettings from(LayeredConfig config) {
        try {
            return new SurveySettings(INTAKE.read(config), BUCKETS.read(config), COMBINE_INTERVAL.read(config),
                    EMIT_INTERVAL.read(config), ALERTS.read(config));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("survey.*: " + e.getMessage());
        }
    }

    /** The defaults, with {@code overrides} (by key) over them. */
    public static SurveySettings with(Map<String, String> overrides) {
        return from(Lateness.over(SETTINGS, overrides));
    }

    /** The defaults. */
    public static SurveySettings defaults() {
        return with(Map.of());
    }
}
