package io.cxpulse.streams.survey;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.cxpulse.avro.DeadLetterReason;
import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.streams.alert.ShareAlertRule;
import io.cxpulse.streams.alert.ShareAlertRule.Severity;
import io.cxpulse.streams.window.Dimension;
import io.cxpulse.streams.window.RollingWindow;

/** Records what the topology reports, for tests. */
final class SurveyTopologyObserver implements SurveyObserver {
    int counted;
    int duplicates;
    final List<DeadLetterReason> deadLettered = new ArrayList<>();

    @Override
    public void counted(SurveyResponse response) {
        counted++;
    }

    @Override
    public void duplicate() {
        duplicates++;
    }

    @Override
    public void deadLettered(DeadLetterReason reason) {
        deadLettered.add(reason);
    }

    @Override
    public void figures(String task, Dimension.Keyed key, RollingWindow window, long windowEnd,
            ScoreHistogram histogram) {
    }

    @Override
    public void streamTime(String task, long streamTime) {
    }

    @Override
    public void alert(String task, Dimension.Keyed key, ShareAlertRule.Evaluation evaluation,
            Map<Severity, Boolean> open) {
    }

    @Override
    public void closed(String task) {
    }
}
