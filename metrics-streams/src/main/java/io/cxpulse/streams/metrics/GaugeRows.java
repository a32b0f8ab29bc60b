package io.cxpulse.streams.metrics;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.cxpulse.avro.SurveyMetric;
import io.cxpulse.streams.survey.ScoreHistogram;
import io.cxpulse.streams.window.Dimension;
import io.cxpulse.streams.window.RollingWindow;

/**
 * Turns the latest window of every key into gauge rows labelled window, segment and channel: all responses as
 * segment=all, channel=all; a segment or a channel with the other label all; touchpoints are not gauges. The
 * segments of the {@link LabelSet} keep their label, the rest are merged into other.
 */
final class GaugeRows {
    private GaugeRows() {
    }

    /** One key's latest window. */
    record Entry(Dimension.Keyed key, RollingWindow window, ScoreHistogram histogram) {
    }

    /** One gauge row's labels. */
    record Row(SurveyMetric metric, String window, String segment, String channel) {
    }

    /** Each segment's responses over 7 days. */
    static Map<String, Long> segmentVolumes(List<Entry> entries) {
        Map<String, Long> segmentVolume = new HashMap<>();
        for (Entry entry : entries) {
            if (entry.key().dimension().kind() == Dimension.Kind.SEGMENT && entry.window() == RollingWindow.DAYS_7) {
                segmentVolume.merge(entry.key().dimension().segment(), entry.histogram().responses(), Long::sum);
            }
        }
        return segmentVolume;
    }

    static Map<Row, ScoreHistogram> rows(List<Entry> entries, Set<String> top) {
        Map<Row, ScoreHistogram> rows = new TreeMap<>(Comparator.comparing(Row::toString));
        for (Entry entry : entries) {
            Dimension dimension = entry.key().dimension();
            if (dimension.kind() == Dimension.Kind.TOUCHPOINT) {
                continue;
            }
            String segment = dimension.segment() == null ? "all"
                    : top.contains(dimension.segment()) ? dimension.segment() : LabelCap.OTHER;
            String channel = dimension.channel() == null ? "all" : dimension.channel();
            Row row = new Row(entry.key().metric(), entry.window().label(), segment, channel);
            rows.computeIfAbsent(row, r -> ScoreHistogram.empty(r.metric())).addAll(entry.histogram());
        }
        return rows;
    }
}
