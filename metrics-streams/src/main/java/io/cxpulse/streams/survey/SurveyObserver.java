package io.cxpulse.streams.survey;

import java.util.Map;

import io.cxpulse.avro.DeadLetterReason;
import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.streams.alert.ShareAlertRule;
import io.cxpulse.streams.alert.ShareAlertRule.Severity;
import io.cxpulse.streams.intake.EventIntake;
import io.cxpulse.streams.window.Dimension;
import io.cxpulse.streams.window.RollingWindow;

/** What the survey topology reports as it goes, for metrics: called on stream threads, so it must not block. */
public interface SurveyObserver extends EventIntake.Observer<SurveyResponse> {

    /** The latest figures of one key (a metric and dimension) and window, owned by {@code task}. */
    void figures(String task, Dimension.Keyed key, RollingWindow window, long windowEnd, ScoreHistogram histogram);

    /** {@code task}'s stream time (the latest event time it has seen), reported as it emits. */
    void streamTime(String task, long streamTime);

    /** {@code task} no longer runs here: forget its figures. */
    void closed(String task);

    /**
     * The detractor alerts of {@code key} (all responses or a segment), just evaluated: the rule's figures and whether
     * each level is open.
     */
    void alert(String task, Dimension.Keyed key, ShareAlertRule.Evaluation evaluation, Map<Severity, Boolean> open);


    /** Reports nothing: for tests that do not look. */
    SurveyObserver NONE = new SurveyObserver() {
        @Override
        public void counted(SurveyResponse response) {
        }

        @Override
        public void duplicate() {
        }

        @Override
        public void deadLettered(DeadLetterReason reason) {
        }

        @Override
        public void figures(String task, Dimension.Keyed key, RollingWindow window, long windowEnd,
                ScoreHistogram histogram) {
        }

        @Override
        public void streamTime(String task, long streamTime) {
        }

        @Override
        public void closed(String task) {
        }

        @Override
        public void alert(String task, Dimension.Keyed key, ShareAlertRule.Evaluation evaluation,
                Map<Severity, Boolean> open) {
        }
    };
}
