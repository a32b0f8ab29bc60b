package io.cxpulse.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import io.cxpulse.streams.alert.ShareAlertRule;
import io.cxpulse.streams.alert.ShareAlertRule.Evaluation;
import io.cxpulse.streams.alert.ShareAlertRule.Severity;

/**
 * One segment's NPS responses minute by minute, with daily seasonality, run through metrics-streams' own
 * {@link ShareAlertRule} as its windows apply it: every minute, the rule's memory of minute counts against the 7
 * days of hourly sums before it, opening and resolving each level.
 *
 * <p>Traffic: Poisson arrivals at {@code perHour} on average, scaled by 1 + 0.6 sin over the day (busiest at 14:00,
 * quietest at 02:00); a detractor share of {@code share} + 1 point sin over the day (highest at 20:00), plus
 * {@code shift} from minute {@code shiftStart} to {@code shiftEnd}; of the other responses, a fixed share are
 * promoters and the rest passives, for NPS.
 */
final class AlertSimulation {
    static final int MINUTES_PER_DAY = 24 * 60;
    /** Of the responses that are not detractors, the share of promoters (the rest are passives): NPS 55 at 10 %. */
    static final double PROMOTERS_OF_THE_REST = 0.65 / 0.90;
    private static final int WARMUP_DAYS = 7;

    private final ShareAlertRule rule;

    AlertSimulation(ShareAlertRule rule) {
        this.rule = rule;
    }

    /** The traffic of one run. */
    record Traffic(double perHour, double share, double shift, int shiftStart, int shiftEnd) {
        static Traffic stationary(double perHour, double share) {
            return new Traffic(perHour, share, 0, Integer.MAX_VALUE, Integer.MAX_VALUE);
        }

        double rate(int minute) {
            double day = 2 * Math.PI * ((minute % MINUTES_PER_DAY) - 8 * 60) / MINUTES_PER_DAY;
            return perHour / 60 * (1 + 0.6 * Math.sin(day));
        }

        /** The share at {@code minute} of the run, {@code t} minutes after the warm-up (for the shift). */
        double share(int minute, int t) {
            double day = 2 * Math.PI * ((minute % MINUTES_PER_DAY) - 14 * 60) / MINUTES_PER_DAY;
            double shifted = t >= shiftStart && t < shiftEnd ? shift : 0;
            return Math.min(1, share + 0.01 * Math.sin(day) + shifted);
        }
    }

    /** One opening of a level: the minute (from the end of the warm-up) it opened and the one it resolved, or -1. */
    record Episode(Severity severity, int opened, int resolved) {
    }

    /**
     * Runs {@code days} after 7 days of warm-up (the baseline) and returns every episode, minutes counted from the
     * end of the warm-up; the traffic's shift minutes are counted the same way.
     */
    List<Episode> run(Traffic traffic, int days, long seed) {
        return run(draw(traffic, days, seed));
    }

    /** The responses and detractors of each minute of a run: 7 days of warm-up, then {@code days}. */
    record Counts(long[] counts, long[] hits, long[] promoters) {
        int warmup() {
            return WARMUP_DAYS * MINUTES_PER_DAY;
        }
    }

    /** Draws a run's minute counts. */
    static Counts draw(Traffic traffic, int days, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int warmup = WARMUP_DAYS * MINUTES_PER_DAY;
        int total = warmup + days * MINUTES_PER_DAY;
        long[] counts = new long[total];
        long[] hits = new long[total];
        long[] promoters = new long[total];
        for (int m = 0; m < total; m++) {
            counts[m] = poisson(random, traffic.rate(m));
            double share = traffic.share(m, m - warmup);
            for (long i = 0; i < counts[m]; i++) {
                double draw = random.nextDouble();
                if (draw < share) {
                    hits[m]++;
                } else if (draw < share + (1 - share) * PROMOTERS_OF_THE_REST) {
                    promoters[m]++;
                }
            }
        }
        return new Counts(counts, hits, promoters);
    }

    /**
     * The best a detector could do on these counts: a CUSUM told the true share of each minute without the rise
     * (p0) and the true rise, started after the warm-up and restarted at 0 after each alarm. Returns the minutes
     * (from the end of the warm-up) at which it alarms above {@code threshold}.
     */
    static List<Integer> oracle(Counts run, Traffic traffic, double rise, double threshold) {
        List<Integer> alarms = new ArrayList<>();
        Traffic plain = Traffic.stationary(traffic.perHour(), traffic.share());
        double sum = 0;
        for (int m = run.warmup(); m < run.counts().length; m++) {
            double p0 = plain.share(m, m - run.warmup());
            double p1 = Math.min(p0 + rise, 0.999);
            long hit = run.hits()[m];
            sum = Math.max(0, sum + hit * Math.log(p1 / p0) + (run.counts()[m] - hit) * Math.log((1 - p1) / (1 - p0)));
            if (sum > threshold) {
                alarms.add(m - run.warmup());
                sum = 0;
            }
        }
        return alarms;
    }

    /** What the rule exported after each minute: its evidence and whether each level was open. */
    record Trace(double[][] evidence, boolean[][] open) {
        static Trace of(int minutes) {
            int levels = Severity.values().length;
            return new Trace(new double[levels][minutes], new boolean[levels][minutes]);
        }
    }

    /** Runs the rule over drawn counts. */
    List<Episode> run(Counts run) {
        return run(run, null);
    }

    /** Runs the rule over drawn counts, recording into {@code trace} (if not null) what it exported each minute. */
    List<Episode> run(Counts run, Trace trace) {
        long[] counts = run.counts();
        long[] hits = run.hits();
        int warmup = run.warmup();
        int total = counts.length;
        long[] countSums = prefix(counts);
        long[] hitSums = prefix(hits);
        int memory = rule.minutes();
        boolean[] open = new boolean[Severity.values().length];
        int[] openedAt = new int[open.length];
        List<Episode> episodes = new ArrayList<>();
        for (int m = warmup; m < total; m++) {
            // the evaluation at the end of minute m: its memory ends with m, its baseline is the 7 days of whole
            // hours before the hour in which the memory starts
            int start = m + 1 - memory;
            int baselineEnd = Math.floorDiv(start, 60) * 60;
            int baselineStart = Math.max(0, baselineEnd - WARMUP_DAYS * MINUTES_PER_DAY);
            Evaluation evaluation = rule.evaluate(countSums[baselineEnd] - countSums[baselineStart],
                    hitSums[baselineEnd] - hitSums[baselineStart], Arrays.copyOfRange(counts, start, m + 1),
                    Arrays.copyOfRange(hits, start, m + 1));
            for (Severity severity : Severity.values()) {
                int i = severity.ordinal();
                boolean now = rule.open(severity, open[i], evaluation);
                if (trace != null) {
                    trace.evidence()[i][m - warmup] = evaluation.finding(severity).evidence();
                    trace.open()[i][m - warmup] = now;
                }
                if (now && !open[i]) {
                    openedAt[i] = m - warmup;
                } else if (!now && open[i]) {
                    episodes.add(new Episode(severity, openedAt[i], m - warmup));
                }
                open[i] = now;
            }
        }
        for (Severity severity : Severity.values()) {
            if (open[severity.ordinal()]) {
                episodes.add(new Episode(severity, openedAt[severity.ordinal()], -1));
            }
        }
        return episodes;
    }

    private static long[] prefix(long[] values) {
        long[] sums = new long[values.length + 1];
        for (int i = 0; i < values.length; i++) {
            sums[i + 1] = sums[i] + values[i];
        }
        return sums;
    }

    /** A Poisson draw (Knuth's method: the rates here are at most a few dozen a minute). */
    static long poisson(SplittableRandom random, double mean) {
        double limit = Math.exp(-mean);
        long k = 0;
        double product = random.nextDouble();
        while (product > limit) {
            k++;
            product *= random.nextDouble();
        }
        return k;
    }
}
