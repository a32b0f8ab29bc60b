package io.cxpulse.streams.alert;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import io.cxpulse.avro.AlertKind;
import io.cxpulse.avro.AlertState;
import io.cxpulse.avro.CxAlert;
import io.cxpulse.streams.alert.ShareAlertRule.Evaluation;
import io.cxpulse.streams.alert.ShareAlertRule.Finding;
import io.cxpulse.streams.alert.ShareAlertRule.Severity;
import io.cxpulse.streams.window.BucketWindows;
import io.cxpulse.streams.window.RollingWindow;
import io.cxpulse.streams.window.RollingWindow.Bucket;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The open alerts of one kind in a task, and how they open and resolve: each evaluation reads a key's minute
 * buckets over the rule's memory and its hour buckets over the 7 days before that, applies the
 * {@link ShareAlertRule}, and opens or resolves the warning and the page, each on its own. Open alerts are kept in a
 * key-value store under {@code key|severity}, so they survive restarts and move with their task.
 *
 * @param <V> the bucket value
 */
public final class ShareAlerts<V extends BucketWindows.Additive<V>> {
    private static final long MINUTE = Bucket.MINUTE.size().toMillis();

    private final ShareAlertRule rule;
    private final AlertKind kind;
    private final Supplier<V> empty;
    private final ToLongFunction<V> count;
    private final ToLongFunction<V> hits;

    /**
     * @param rule  the rule
     * @param kind  what the alerts are about
     * @param empty a new empty bucket value
     * @param count the responses (or events) in a bucket
     * @param hits  the detractors (or events with friction) in a bucket
     */
    public ShareAlerts(ShareAlertRule rule, AlertKind kind, Supplier<V> empty, ToLongFunction<V> count,
            ToLongFunction<V> hits) {
        this.rule = rule;
        this.kind = kind;
        this.empty = empty;
        this.count = count;
        this.hits = hits;
    }

    /**
     * What one evaluation found.
     *
     * @param evaluation the rule's figures
     * @param open       whether each level is open after it
     * @param changed    the alerts that opened or resolved, to send on
     */
    public record Outcome(Evaluation evaluation, Map<Severity, Boolean> open, List<CxAlert> changed) {
    }

    /**
     * Evaluates {@code key}'s alerts at {@code end} (the end of the current minute by the wall clock) and opens or
     * resolves them in {@code open}.
     *
     * @param dimension the dimension the key stands for, for the alert records
     * @param now       the wall clock, for the records' emittedAt
     */
    public Outcome evaluate(String key, Map<String, String> dimension, long end, long now,
            ReadOnlyWindowStore<String, V> minutes, ReadOnlyWindowStore<String, V> hours,
            KeyValueStore<String, CxAlert> open) {
        int length = rule.minutes();
        long start = end - length * MINUTE;
        long[] counts = new long[length];
        long[] hitCounts = new long[length];
        try (WindowStoreIterator<V> iterator = minutes.fetch(key, Instant.ofEpochMilli(start),
                Instant.ofEpochMilli(end - MINUTE))) {
            iterator.forEachRemaining(entry -> {
                int i = (int) ((entry.key - start) / MINUTE);
                counts[i] += count.applyAsLong(entry.value);
                hitCounts[i] += hits.applyAsLong(entry.value);
            });
        }
        V baseline = BucketWindows.sum(hours, key, RollingWindow.DAYS_7, Bucket.HOUR.start(start), empty.get());
        Evaluation evaluation = rule.evaluate(count.applyAsLong(baseline), hits.applyAsLong(baseline), counts,
                hitCounts);
        Map<Severity, Boolean> states = new EnumMap<>(Severity.class);
        List<CxAlert> changed = new ArrayList<>();
        for (Severity severity : Severity.values()) {
            String storeKey = key + "|" + severity.label();
            CxAlert opened = open.get(storeKey);
            boolean stays = rule.open(severity, opened != null, evaluation);
            states.put(severity, stays);
            if (opened == null && stays) {
                String id = UUID.nameUUIDFromBytes((kind + "|" + storeKey + "|" + end)
                        .getBytes(StandardCharsets.UTF_8)).toString();
                CxAlert alert = alert(id, dimension, severity, AlertState.OPENED, evaluation, end, now);
                open.put(storeKey, alert);
                changed.add(alert);
            } else if (opened != null && !stays) {
                open.delete(storeKey);
                changed.add(alert(opened.getAlertId(), dimension, severity, AlertState.RESOLVED, evaluation, end,
                        now));
            }
        }
        return new Outcome(evaluation, states, changed);
    }

    /** The keys with an open alert in {@code open}. */
    public static Set<String> openKeys(KeyValueStore<String, CxAlert> open) {
        Set<String> keys = new LinkedHashSet<>();
        try (KeyValueIterator<String, CxAlert> all = open.all()) {
            all.forEachRemaining(entry -> {
                int bar = entry.key.lastIndexOf('|');
                keys.add(bar < 0 ? entry.key : entry.key.substring(0, bar));
            });
        }
        return keys;
    }

    private CxAlert alert(String id, Map<String, String> dimension, Severity severity, AlertState state,
            Evaluation evaluation, long end, long now) {
        Finding finding = evaluation.finding(severity);
        // an empty run (no evidence at all) is reported as the last minute
        int minutes = Math.max(1, finding.minutes());
        return CxAlert.newBuilder().setAlertId(id).setKind(kind).setDimension(new HashMap<>(dimension))
                .setState(state).setSeverity(severity.label()).setObserved(finding.observed())
                .setBaseline(evaluation.baseline()).setEvidence(finding.evidence())
                .setSampleSize(finding.responses()).setWindow(minutes + "m")
                .setBaselineWindow(RollingWindow.DAYS_7.label())
                .setWindowStart(Instant.ofEpochMilli(end - minutes * MINUTE)).setWindowEnd(Instant.ofEpochMilli(end))
                .setEmittedAt(Instant.ofEpochMilli(now)).build();
    }
}
