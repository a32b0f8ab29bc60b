package io.cxpulse.streams.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import io.cxpulse.streams.alert.ShareAlertRule;
import io.cxpulse.streams.alert.ShareAlertRule.Severity;

/**
 * The gauges of one kind of share alert, so that Prometheus alerts on the statistic metrics-streams computes rather
 * than a second one of its own: {@code <name>_evidence} (the CUSUM, in nats) and {@code <name>_open} (1 while the
 * alert is open, 0 otherwise), labelled severity and the alert's dimension labels. Each is set from the latest
 * evaluation of the keys this instance's tasks own.
 */
final class AlertGauges {
    private final Meters meters;
    private final String name;
    private final String what;
    private final List<String> labels;
    private final TaskBoard<List<String>, Figures> board = new TaskBoard<>();

    /** One key's latest evaluation: its evidence and whether it is open, by severity. */
    private record Figures(double[] evidence, boolean[] open) {
    }

    /**
     * @param name       the gauges' name stem, such as {@code cx.detractor.alert}
     * @param what       what the alert is about, for the descriptions
     * @param dimensions the labels of a key, after severity
     */
    AlertGauges(Meters meters, String name, String what, List<String> dimensions) {
        this.meters = meters;
        this.name = name;
        this.what = what;
        List<String> all = new ArrayList<>();
        all.add("severity");
        all.addAll(dimensions);
        this.labels = List.copyOf(all);
    }

    /** Records the evaluation of the key labelled {@code dimension} (one value per dimension label). */
    void evaluated(String task, List<String> dimension, ShareAlertRule.Evaluation evaluation,
            Map<Severity, Boolean> open) {
        Severity[] severities = Severity.values();
        double[] evidence = new double[severities.length];
        boolean[] opened = new boolean[severities.length];
        for (Severity severity : severities) {
            evidence[severity.ordinal()] = evaluation.finding(severity).evidence();
            opened[severity.ordinal()] = open.getOrDefault(severity, false);
        }
        board.put(task, List.copyOf(dimension), new Figures(evidence, opened));
    }

    void closed(String task) {
        board.closed(task);
    }

    /** Sets the gauges of the keys that {@code labelled} keeps (others have no label of their own). */
    void refresh(Predicate<List<String>> labelled) {
        Map<List<String>, Double> evidence = new TreeMap<>(Comparator.comparing(Object::toString));
        Map<List<String>, Double> open = new TreeMap<>(Comparator.comparing(Object::toString));
        board.merged(figures -> figures, (a, b) -> a).forEach((dimension, figures) -> {
            if (!labelled.test(dimension)) {
                return;
            }
            for (Severity severity : Severity.values()) {
                List<String> row = new ArrayList<>();
                row.add(severity.label());
                row.addAll(dimension);
                evidence.put(row, figures.evidence()[severity.ordinal()]);
                open.put(row, figures.open()[severity.ordinal()] ? 1.0 : 0.0);
            }
        });
        meters.gauge(name + ".evidence", "Evidence (log-likelihood ratio, nats) that the " + what
                + " has risen above its 7-day baseline: the CUSUM the alert opens on", null, labels, evidence,
                value -> value);
        meters.gauge(name + ".open", "1 while metrics-streams has the " + what + " alert open (it opens above "
                + "the evidence threshold and resolves at half of it), 0 otherwise", null, labels, open,
                value -> value);
    }
}
