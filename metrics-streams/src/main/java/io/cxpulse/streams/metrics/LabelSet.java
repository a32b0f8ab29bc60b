package io.cxpulse.streams.metrics;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which values of a free-text label (segment, touchpoint, queue) keep their own Prometheus label; the rest are
 * {@code other}. A configured list is the label set on every instance and after every restart, for counters, gauges
 * and alerts alike, so sums over instances and an hour against its baseline cover the same populations. Without one,
 * counters keep the first {@code topN} values this process sees (a counter's label cannot move once counted) and
 * gauges the {@code topN} with the most volume over 7 days: the two, and two instances, can disagree.
 */
public final class LabelSet {
    static final String OTHER = LabelCap.OTHER;

    private final Set<String> configured;
    private final int topN;
    private final LabelCap firstSeen;

    private LabelSet(Set<String> configured, int topN) {
        this.configured = configured;
        this.topN = topN;
        this.firstSeen = new LabelCap(topN);
    }

    /** Exactly {@code values} keep their label. */
    public static LabelSet configured(List<String> values) {
        return new LabelSet(Set.copyOf(new LinkedHashSet<>(values)), values.size());
    }

    /** Nothing configured: the first {@code topN} seen (counters), the top {@code topN} by volume (gauges). */
    public static LabelSet firstSeen(int topN) {
        return new LabelSet(null, topN);
    }

    /** Whether the set is configured, and so stable. */
    public boolean isConfigured() {
        return configured != null;
    }

    /** The label of {@code value} in a counter. */
    String counterLabel(String value) {
        return configured != null ? (configured.contains(value) ? value : OTHER) : firstSeen.label(value);
    }

    /** The values that keep their label in gauges, given each value's volume over 7 days. */
    Set<String> gaugeLabels(Map<String, Long> volume) {
        return configured != null ? configured : Meters.top(volume, topN);
    }
}
