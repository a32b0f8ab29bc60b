package io.cxpulse.streams.survey;

import java.time.Duration;

import io.cxpulse.streams.alert.ShareAlertRule;
import io.cxpulse.streams.intake.EventIntake;
import io.cxpulse.streams.intake.SeenEventIds;
import io.cxpulse.streams.window.RollingWindow;

/**
 * How the survey topology keeps and emits its aggregates.
 *
 * @param grace            how far behind stream time an event may be and still count; later ones are
 *                         dead-lettered as late
 * @param dedupRetention   how long an eventId is remembered, so a retry or replay within it counts once
 * @param dedupIdsInMemory per intake task, how many of the remembered eventIds may be located in memory, so that
 *                         counting one costs no RocksDB write and looking one up no read (21 to 43 bytes each);
 *                         past it they are indexed in RocksDB instead (0: always)
 * @param minuteRetention  how long minute buckets are kept (1h windows, and queries at past times)
 * @param hourRetention    how long hour buckets are kept (24h and 7d windows, trends)
 * @param combineInterval  how often the sums of new responses per key and minute cross to the tasks that own
 *                         the keys (wall-clock time)
 * @param emitInterval     how often changed aggregates are emitted and alerts evaluated (wall-clock time)
 * @param alerts           the detractor alert rule
 */
public record SurveySettings(Duration grace, Duration dedupRetention, int dedupIdsInMemory, Duration minuteRetention,
        Duration hourRetention, Duration combineInterval, Duration emitInterval, ShareAlertRule alerts) {
    public SurveySettings {
        RollingWindow.checkRetention(minuteRetention, hourRetention, dedupRetention, grace);
        SeenEventIds.checkMaxLocated(dedupIdsInMemory);
    }

    /** What the intake needs: grace and deduplication. */
    public EventIntake.Settings intake() {
        return new EventIntake.Settings(grace, dedupRetention, dedupIdsInMemory);
    }

    /**
     * The defaults: 1h grace, 7 days of deduplication (250,000 ids in memory per task), minute buckets for 2 days, hour
     * buckets for 35, sums sent on every 100 ms, aggregates emitted every second.
     */
    public static SurveySettings defaults() {
        return new SurveySettings(Duration.ofHours(1), Duration.ofDays(7), SeenEventIds.DEFAULT_MAX_LOCATED,
                Duration.ofDays(2), Duration.ofDays(35),
                Duration.ofMillis(100), Duration.ofSeconds(1),
                new ShareAlertRule(3.0, 1.0, SurveyFigures.THIN_SAMPLE));
    }
}
