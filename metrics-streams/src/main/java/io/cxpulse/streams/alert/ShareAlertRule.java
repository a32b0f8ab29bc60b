package io.cxpulse.streams.alert;

import java.time.Duration;
import java.util.List;

import io.cxpulse.common.LayeredConfig;
import io.cxpulse.common.Setting;
import io.cxpulse.streams.window.RollingWindow;

import org.apache.kafka.common.config.ConfigException;

/**
 * When a share that should not rise (the detractor share of NPS responses, a touchpoint's friction rate) has risen
 * above its 7-day baseline: a warning and a page, each a one-sided CUSUM over the recent minutes.
 *
 * <p>Each level tests "the share is now at least {@code rise} above the baseline" against "it is at the baseline".
 * Each recent response adds the log of how much likelier it is under the first: {@code ln(p1 / p0)} for a hit,
 * {@code ln((1 - p1) / (1 - p0))} for a miss, with p1 = p0 + rise. The evidence is the largest such sum over the
 * runs of minutes that end now (the CUSUM), at most {@code memory} long, and never below 0. A level opens when its
 * evidence exceeds its threshold and resolves when it falls to half of it or below.
 *
 * <p>Why this test: the CUSUM is the sequential test with the shortest detection delay for a given false-alarm
 * rate, and its false-alarm rate is that of a test that sees every response as it comes, so evaluating it every
 * second does not multiply false alarms. It is recomputed from the minute buckets each time, so late events,
 * restarts and another instance give the same figure.
 *
 * <p>The baseline's own uncertainty counts: p0 is the upper end of the one-sided 95 % Wilson interval of the
 * baseline's share, so a thin baseline or one at 0 % asks for a larger rise, and a baseline with fewer than
 * {@code minBaseline} responses compares nothing. Where p0 + rise reaches 1 there is no such rise to detect.
 *
 * @param warning     the warning level
 * @param page        the page level
 * @param minBaseline the fewest responses (or events) in the 7-day baseline to compare with
 * @param memory      the longest run of recent minutes the evidence adds up
 */
public record ShareAlertRule(Level warning, Level page, long minBaseline, Duration memory) {
    /** The z of the baseline's one-sided 95 % Wilson bound. */
    static final double BASELINE_Z = 1.6448536269514722;

    public ShareAlertRule {
        if (memory.toMinutes() < 1) {
            throw new IllegalArgumentException("memory (" + memory + ") must be at least a minute");
        }
    }

    /**
     * One alert level.
     *
     * @param rise      the rise, as a share between 0 and 1, that the level looks for
     * @param threshold the evidence, in nats, above which it opens (e to its power is the likelihood ratio)
     */
    public record Level(double rise, double threshold) {
        public Level {
            if (!(rise > 0 && rise < 1)) {
                throw new IllegalArgumentException("rise (" + rise + ") must be above 0 and below 1");
            }
            if (!(threshold > 0)) {
                throw new IllegalArgumentException("threshold (" + threshold + ") must be above 0");
            }
        }

        /** At or below this an open alert resolves: half the threshold. */
        public double resolveAt() {
            return threshold / 2;
        }
    }

    /**
     * Checks that the minute buckets are kept for the memory.
     *
     * @throws IllegalArgumentException when they are not
     */
    public void checkMemory(RollingWindow.Retention retention) {
        if (retention.minute().compareTo(memory) < 0) {
            throw new IllegalArgumentException("the alert memory (" + memory + ") is longer than the minute "
                    + "buckets are kept (" + retention.minute() + ")");
        }
    }

    /** The length of the memory in minutes: how many minute counts {@link #evaluate} takes. */
    public int minutes() {
        return (int) memory.toMinutes();
    }

    /**
     * The declarations of a rule's settings under {@code prefix}: the warning and page rise and evidence, the
     * baseline minimum and the memory.
     *
     * @param what    what the share is of, for the docs
     * @param volume  what is counted, for the docs: responses, events
     */
    public static Keys keys(String prefix, String what, String volume, int minBaselineDefault) {
        return new Keys(
                Setting.number(prefix + ".warning.rise", "0.10", "The rise of the " + what
                        + " above its 7-day baseline (a share, 0.10 = 10 points) that a warning looks for."),
                Setting.number(prefix + ".warning.evidence", "10", "The evidence (log-likelihood ratio, in nats) "
                        + "above which a warning opens; it resolves at half of it."),
                Setting.number(prefix + ".page.rise", "0.20", "The rise of the " + what
                        + " that a page looks for."),
                Setting.number(prefix + ".page.evidence", "14", "The evidence above which a page opens; it "
                        + "resolves at half of it."),
                Setting.integer(prefix + ".min.baseline", minBaselineDefault, 1, 1_000_000_000, "The fewest "
                        + volume + " in the 7-day baseline for an alert to compare with."),
                Setting.positiveDuration(prefix + ".memory", "PT6H", "The longest run of recent minutes whose "
                        + "evidence adds up (at most the minute buckets' retention)."));
    }

    /** The declarations of a rule's settings. */
    public record Keys(Setting<Double> warningRise, Setting<Double> warningEvidence, Setting<Double> pageRise,
            Setting<Double> pageEvidence, Setting<Integer> minBaseline, Setting<Duration> memory) {
        public List<Setting<?>> all() {
            return List.of(warningRise, warningEvidence, pageRise, pageEvidence, minBaseline, memory);
        }

        /** The rule in {@code config}; a value out of range fails naming its key. */
        public ShareAlertRule read(LayeredConfig config) {
            return new ShareAlertRule(level(config, warningRise, warningEvidence),
                    level(config, pageRise, pageEvidence), minBaseline.read(config), memory.read(config));
        }

        private static Level level(LayeredConfig config, Setting<Double> rise, Setting<Double> evidence) {
            double r = rise.read(config);
            double e = evidence.read(config);
            if (!(r > 0 && r < 1)) {
                throw new ConfigException(rise.key(), r, "must be above 0 and below 1");
            }
            if (!(e > 0)) {
                throw new ConfigException(evidence.key(), e, "must be above 0");
            }
            return new Level(r, e);
        }
    }

    /**
     * What one level finds: the evidence, and the run of minutes that gives it (empty when the evidence is 0).
     *
     * @param evidence  the CUSUM, in nats; 0 without a baseline to compare with
     * @param minutes   how many of the latest minutes the run covers
     * @param responses the responses (or events) in the run
     * @param hits      the detractors (or events with friction) among them
     */
    public record Finding(double evidence, int minutes, long responses, long hits) {
        static final Finding NONE = new Finding(0, 0, 0, 0);

        /** The share in the run, or 0 for an empty run. */
        public double observed() {
            return responses == 0 ? 0 : (double) hits / responses;
        }
    }

    /**
     * What the rule finds now.
     *
     * @param baselineResponses the responses (or events) in the baseline
     * @param baseline          the baseline's share
     * @param compared          whether the baseline was big enough to compare with
     * @param warning           the warning level's finding
     * @param page              the page level's finding
     */
    public record Evaluation(long baselineResponses, double baseline, boolean compared, Finding warning,
            Finding page) {
        /** The finding of {@code severity}. */
        public Finding finding(Severity severity) {
            return severity == Severity.WARNING ? warning : page;
        }
    }

    /** An alert level, named as Prometheus and Alertmanager name it. */
    public enum Severity {
        WARNING("warning"), CRITICAL("critical");

        private final String label;

        Severity(String label) {
            this.label = label;
        }

        /** The name in metrics, alert keys and Alertmanager: warning, critical. */
        public String label() {
            return label;
        }
    }

    /** The level of {@code severity}. */
    public Level level(Severity severity) {
        return severity == Severity.WARNING ? warning : page;
    }

    /** Whether an alert of {@code severity} that is {@code open} (or not) should be open after {@code evaluation}. */
    public boolean open(Severity severity, boolean open, Evaluation evaluation) {
        double evidence = evaluation.finding(severity).evidence();
        Level level = level(severity);
        return open ? evidence > level.resolveAt() : evidence > level.threshold();
    }

    /**
     * Evaluates the recent minutes against the baseline.
     *
     * @param baselineN    responses (or events) in the baseline
     * @param baselineHits detractors (or events with friction) in the baseline
     * @param counts       responses in each of the recent minutes, oldest first, the current minute last
     * @param hits         detractors in each of them
     */
    public Evaluation evaluate(long baselineN, long baselineHits, long[] counts, long[] hits) {
        double share = baselineN == 0 ? 0 : (double) baselineHits / baselineN;
        if (baselineN < minBaseline) {
            return new Evaluation(baselineN, share, false, Finding.NONE, Finding.NONE);
        }
        double reference = upperBound(baselineHits, baselineN);
        return new Evaluation(baselineN, share, true, cusum(reference, warning.rise(), counts, hits),
                cusum(reference, page.rise(), counts, hits));
    }

    /** The largest log-likelihood ratio of "p0 + rise" against "p0" over the runs of minutes that end last. */
    static Finding cusum(double p0, double rise, long[] counts, long[] hits) {
        double p1 = p0 + rise;
        if (p1 >= 1) {
            return Finding.NONE;
        }
        double hit = Math.log(p1 / p0);
        double miss = Math.log1p(-p1) - Math.log1p(-p0);
        double sum = 0;
        long n = 0;
        long h = 0;
        Finding best = Finding.NONE;
        for (int i = counts.length - 1, minutes = 1; i >= 0; i--, minutes++) {
            sum += hits[i] * hit + (counts[i] - hits[i]) * miss;
            n += counts[i];
            h += hits[i];
            if (sum > best.evidence()) {
                best = new Finding(sum, minutes, n, h);
            }
        }
        return best;
    }

    /** The upper end of the one-sided 95 % Wilson score interval of {@code hits} in {@code n} (n > 0). */
    static double upperBound(long hits, long n) {
        double p = (double) hits / n;
        double z2 = BASELINE_Z * BASELINE_Z;
        double centre = p + z2 / (2.0 * n);
        double spread = BASELINE_Z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return (centre + spread) / (1 + z2 / n);
    }
}
