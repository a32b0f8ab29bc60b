package io.cxpulse.streams.query;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.LongSupplier;

import io.cxpulse.common.EventAge;
import io.cxpulse.streams.query.SurveyQueries.BadParameter;
import io.cxpulse.streams.window.RollingWindow;

/**
 * How far back one feature's buckets reach, for its queries: a window that starts before its buckets are kept is
 * refused with a 400 that names the retention, never answered as a silent n = 0 or a partial window.
 *
 * @param retention  how long the feature's minute and hour buckets are kept
 * @param keys       their settings, named in the answer
 * @param streamTime the latest event time this instance's tasks of the feature have seen, or -1
 */
record History(RollingWindow.Retention retention, RollingWindow.Retention.Keys keys, LongSupplier streamTime) {
    /** The latest event time seen, or the clock before the first event: what the retention is measured back from. */
    long latest() {
        long time = streamTime.getAsLong();
        return time >= 0 ? time : System.currentTimeMillis();
    }

    /** The time a query is for: {@code at}, or else the latest. */
    long time(Long at) {
        return at != null ? at : latest();
    }

    /**
     * Refuses, naming {@code parameter}, a {@code window} that starts at {@code start}, before its buckets are kept.
     */
    void check(RollingWindow window, long start, String parameter) {
        RollingWindow.Bucket bucket = window.bucket();
        Duration kept = retention.of(bucket);
        long oldest = latest() - kept.toMillis();
        if (start < oldest) {
            String key = (bucket == RollingWindow.Bucket.MINUTE ? keys.minute() : keys.hour()).key();
            throw new BadParameter(parameter, parameter + " asks for the " + window.label() + " window from "
                    + Instant.ofEpochMilli(start) + ", but " + bucket.name().toLowerCase(Locale.ROOT)
                    + " buckets are kept for " + EventAge.describe(kept) + " (" + key + "): the earliest window starts"
                    + " at " + Instant.ofEpochMilli(oldest));
        }
    }
}
