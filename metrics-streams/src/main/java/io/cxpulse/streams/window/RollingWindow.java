package io.cxpulse.streams.window;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.cxpulse.common.LayeredConfig;
import io.cxpulse.common.Setting;


/**
 * A rolling event-time window, read as the sum of tumbling buckets: 1h from minute buckets (so it rolls by the
 * minute), 24h and 7d from hour buckets (rolling by the hour). A window "at" a time is the one whose last bucket
 * holds that time: [end - length, end) with end the bucket boundary after it.
 */
public enum RollingWindow {
    HOUR_1("1h", Duration.ofHours(1), Bucket.MINUTE),
    DAY_1("24h", Duration.ofHours(24), Bucket.HOUR),
    DAYS_7("7d", Duration.ofDays(7), Bucket.HOUR);

    /** A bucket size, and the name of the window store that holds buckets of it. */
    public enum Bucket {
        MINUTE(Duration.ofMinutes(1), "survey-buckets-1m"),
        HOUR(Duration.ofHours(1), "survey-buckets-1h");

        private final Duration size;
        private final String store;

        Bucket(Duration size, String store) {
            this.size = size;
            this.store = store;
        }

        public Duration size() {
            return size;
        }

        /** The window store of these buckets; its name is part of the app's contract (changelog, queries). */
        public String store() {
            return store;
        }

        /** The start of the bucket that holds {@code time}. */
        public long start(long time) {
            return Math.floorDiv(time, size.toMillis()) * size.toMillis();
        }
    }

    private final String label;
    private final Duration length;
    private final Bucket bucket;

    RollingWindow(String label, Duration length, Bucket bucket) {
        this.label = label;
        this.length = length;
        this.bucket = bucket;
    }

    /** The window's name in metrics, topics and the query API: 1h, 24h, 7d. */
    public String label() {
        return label;
    }

    public Duration length() {
        return length;
    }

    public Bucket bucket() {
        return bucket;
    }

    /**
     * Checks that buckets are kept long enough: minute buckets for at least the 1h window; hour buckets for at least
     * the 7d window and the lateness {@code horizon}, so that every event the intake lets in has its hour bucket.
     * An event older than the minute retention counts in its hour buckets only: its 1h windows are past what the
     * minute buckets keep, and a query for them is refused.
     *
     * @throws IllegalArgumentException naming what is too short
     */
    public static void checkRetention(Retention retention, Duration horizon) {
        Duration minuteRetention = retention.minute();
        Duration hourRetention = retention.hour();
        if (minuteRetention.compareTo(HOUR_1.length()) < 0) {
            throw new IllegalArgumentException("minute buckets must be kept at least 1h, not " + minuteRetention);
        }
        Duration longest = DAYS_7.length().plus(HOUR_1.length());
        if (hourRetention.compareTo(longest) < 0 || hourRetention.compareTo(horizon) < 0) {
            throw new IllegalArgumentException("hour buckets must be kept at least 7d plus 1h (" + longest
                    + ") and the lateness horizon (" + horizon + "), not " + hourRetention);
        }
    }

    /**
     * How long a key's buckets are kept.
     *
     * @param minute how long minute buckets are kept (1h windows, and queries at past times)
     * @param hour   how long hour buckets are kept (24h and 7d windows, trends)
     */
    public record Retention(Duration minute, Duration hour) {
        /** How long {@code bucket}'s buckets are kept. */
        public Duration of(Bucket bucket) {
            return bucket == Bucket.MINUTE ? minute : hour;
        }

        /** The declarations of a feature's bucket retentions: {@code <prefix>.minute.retention} and hour. */
        public static Keys keys(String prefix) {
            return new Keys(Setting.duration(prefix + ".minute.retention", "P2D",
                    "How long minute buckets are kept: 1h windows and trends by the minute can be asked for this far "
                            + "back (at least 1h)."),
                    Setting.duration(prefix + ".hour.retention", "P35D",
                            "How long hour buckets are kept: 24h and 7d windows can be asked for this far back (at "
                                    + "least 7d plus 1h, and the lateness horizon)."));
        }

        /** The declarations of the retentions. */
        public record Keys(Setting<Duration> minute, Setting<Duration> hour) {
            public List<Setting<?>> all() {
                return List.of(minute, hour);
            }

            public Retention read(LayeredConfig config) {
                return new Retention(minute.read(config), hour.read(config));
            }
        }
    }

    /** The window by its label. */
    public static Optional<RollingWindow> of(String label) {
        for (RollingWindow window : values()) {
            if (window.label.equals(label)) {
                return Optional.of(window);
            }
        }
        return Optional.empty();
    }

    /** The exclusive end of the window that holds {@code time}: the bucket boundary after it. */
    public long end(long time) {
        return bucket.start(time) + bucket.size.toMillis();
    }
}
