package io.cxpulse.streams.ticket;

import java.time.Duration;

/** The age buckets of tickets awaiting a first reply, as the {@code age} label of the backlog gauge. */
public enum BacklogAge {
    UNDER_15M("0-15m", Duration.ofMinutes(15)),
    UNDER_1H("15m-1h", Duration.ofHours(1)),
    UNDER_4H("1h-4h", Duration.ofHours(4)),
    UNDER_24H("4h-24h", Duration.ofHours(24)),
    OLDER("24h+", null);

    private final String label;
    private final Duration below;

    BacklogAge(String label, Duration below) {
        this.label = label;
        this.below = below;
    }

    public String label() {
        return label;
    }

    /** The bucket of a ticket opened {@code ageMillis} before stream time (a negative age counts as 0). */
    public static BacklogAge of(long ageMillis) {
        for (BacklogAge age : values()) {
            if (age.below == null || ageMillis < age.below.toMillis()) {
                return age;
            }
        }
        return OLDER;
    }
}
