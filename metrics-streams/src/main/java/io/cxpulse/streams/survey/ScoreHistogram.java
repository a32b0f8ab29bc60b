package io.cxpulse.streams.survey;

import java.util.Arrays;

import io.cxpulse.avro.SurveyMetric;
import io.cxpulse.schemas.contract.ScoreScale;
import io.cxpulse.streams.window.BucketWindows;

/**
 * How many responses gave each score on one metric's scale. Every survey figure derives from it, and two
 * histograms of the same metric add up exactly, which is what lets rolling windows be sums of small buckets.
 * Mutable, for use inside one stream task or one query; {@link #copy()} before sharing.
 */
public final class ScoreHistogram implements BucketWindows.Additive<ScoreHistogram> {
    private final SurveyMetric metric;
    private final long[] counts;

    private ScoreHistogram(SurveyMetric metric, long[] counts) {
        this.metric = metric;
        this.counts = counts;
    }

    /** A histogram with no responses. */
    public static ScoreHistogram empty(SurveyMetric metric) {
        return new ScoreHistogram(metric, new long[ScoreScale.of(metric).size()]);
    }

    /** A histogram with these counts, lowest score first; fails unless there is one count per score. */
    public static ScoreHistogram of(SurveyMetric metric, long... counts) {
        if (counts.length != ScoreScale.of(metric).size()) {
            throw new IllegalArgumentException(metric + " has " + ScoreScale.of(metric).size() + " scores, not "
                    + counts.length);
        }
        for (long count : counts) {
            if (count < 0) {
                throw new IllegalArgumentException("counts must not be negative: " + Arrays.toString(counts));
            }
        }
        return new ScoreHistogram(metric, counts.clone());
    }

    public SurveyMetric metric() {
        return metric;
    }

    /** Counts one response with {@code score}; fails if the score is off the metric's scale. */
    public ScoreHistogram add(int score) {
        counts[ScoreScale.of(metric).index(score)]++;
        return this;
    }

    /** Adds every response of {@code other}, which must be of the same metric. */
    public ScoreHistogram addAll(ScoreHistogram other) {
        if (other.metric != metric) {
            throw new IllegalArgumentException("cannot add " + other.metric + " responses to " + metric);
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        return this;
    }

    /** Responses that scored {@code score}. */
    public long count(int score) {
        return counts[ScoreScale.of(metric).index(score)];
    }

    /** The counts, lowest score first (a copy). */
    public long[] counts() {
        return counts.clone();
    }

    /** n: all responses. */
    public long responses() {
        long n = 0;
        for (long count : counts) {
            n += count;
        }
        return n;
    }

    /** Responses scoring from {@code low} to {@code high}, both inclusive. */
    public long between(int low, int high) {
        long n = 0;
        for (int score = low; score <= high; score++) {
            n += count(score);
        }
        return n;
    }

    public ScoreHistogram copy() {
        return new ScoreHistogram(metric, counts.clone());
    }

    /** Every figure of docs/design.md's definitions for this histogram. */
    public SurveyFigures figures() {
        return SurveyFigures.of(this);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScoreHistogram that && that.metric == metric && Arrays.equals(that.counts, counts);
    }

    @Override
    public int hashCode() {
        return 31 * metric.hashCode() + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return metric + Arrays.toString(counts);
    }
}
