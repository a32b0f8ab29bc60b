package io.cxpulse.streams.friction;

import java.util.Map;

import io.cxpulse.avro.DeadLetterReason;
import io.cxpulse.avro.TouchpointEvent;
import io.cxpulse.streams.alert.ShareAlertRule;
import io.cxpulse.streams.alert.ShareAlertRule.Severity;
import io.cxpulse.streams.intake.EventIntake;
import io.cxpulse.streams.window.RollingWindow;

/** What the friction topology reports as it goes, for metrics: called on stream threads, so it must not block. */
public interface FrictionObserver extends EventIntake.Observer<TouchpointEvent> {

    /**
     * A count that spans events (channel switch, repeated contact, repeated input), found at a touchpoint: each
     * once, where first found. A channel switch that a late visit moves to another touchpoint is not reported
     * again, since a counter cannot move it.
     */
    void found(Touchpoint touchpoint, FrictionBucket count);

    /** The latest sum of one touchpoint's buckets in {@code window}, owned by {@code task}. */
    void window(String task, Touchpoint touchpoint, RollingWindow window, long windowEnd, FrictionBucket sum);

    /** {@code task}'s stream time, reported as it emits. */
    void streamTime(String task, long streamTime);

    /** {@code task} no longer runs here: forget what it reported. */
    void closed(String task);

    /** The friction alerts of {@code touchpoint}, just evaluated: the rule's figures and whether each level is open. */
    void alert(String task, Touchpoint touchpoint, ShareAlertRule.Evaluation evaluation,
            Map<Severity, Boolean> open);


    /** Reports nothing: for tests that do not look. */
    FrictionObserver NONE = new FrictionObserver() {
        @Override
        public void counted(TouchpointEvent event) {
        }

        @Override
        public void duplicate() {
        }

        @Override
        public void deadLettered(DeadLetterReason reason) {
        }

        @Override
        public void found(Touchpoint touchpoint, FrictionBucket count) {
        }

        @Override
        public void window(String task, Touchpoint touchpoint, RollingWindow window, long windowEnd,
                FrictionBucket sum) {
        }

        @Override
        public void streamTime(String task, long streamTime) {
        }

        @Override
        public void closed(String task) {
        }

        @Override
        public void alert(String task, Touchpoint touchpoint, ShareAlertRule.Evaluation evaluation,
                Map<Severity, Boolean> open) {
        }
    };
}
