package io.cxpulse.streams.window;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import io.cxpulse.avro.DurationFigures;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;

/**
 * A mergeable sketch of durations, in seconds, whose quantiles are within {@link #RELATIVE_ACCURACY} of the exact
 * ones: DDSketch with a logarithmic index mapping.
 *
 * <p>DDSketch rather than HdrHistogram: its error is relative at every magnitude (a 30 s first reply and a 5-day
 * resolution are both within 1 %), it needs no range declared in advance, and sketches merge exactly, so a
 * rolling window can be the merge of its buckets. Memory is bounded by {@link #MAX_BINS} bins (about 8 KiB at
 * most); 2,048 bins at 1 % span a ratio of about e^40 between the largest and smallest duration, far beyond a
 * millisecond to a year, so the bound collapses nothing in practice (were it reached, the lowest values would be
 * merged first, the quantiles that matter least for response times).
 */
public final class DurationSketch {
    /** The relative error of every quantile. */
    public static final double RELATIVE_ACCURACY = 0.01;
    /** The most bins a sketch keeps. */
    public static final int MAX_BINS = 2_048;
    private static final LogarithmicMapping MAPPING = new LogarithmicMapping(RELATIVE_ACCURACY);

    private final DDSketch sketch;

    private DurationSketch(DDSketch sketch) {
        this.sketch = sketch;
    }

    /** A sketch of no durations. */
    public static DurationSketch empty() {
        return new DurationSketch(newSketch());
    }

    private static DDSketch newSketch() {
        return new DDSketch(MAPPING, () -> new CollapsingLowestDenseStore(MAX_BINS));
    }

    /** Adds {@code duration}, which must not be negative. */
    public void add(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a duration cannot be negative: " + duration);
        }
        sketch.accept(duration.toNanos() / 1e9);
    }

    /** Adds every duration of {@code other} to this one. */
    public void merge(DurationSketch other) {
        sketch.mergeWith(other.sketch);
    }

    /**
     * This sketch with every duration of {@code taken} taken back out, bin by bin: {@code taken} must hold only
     * durations that were added to this one (a full resolution that a later one superseded). Both share the index
     * mapping, so the result is what a sketch of the remaining durations would be.
     */
    public DurationSketch minus(DurationSketch taken) {
        if (taken.sketch.isEmpty()) {
            return copy();
        }
        Map<Integer, Double> bins = bins();
        taken.sketch.getPositiveValueStore().forEach((index, count) -> bins.merge(index, -count, Double::sum));
        DDSketch rest = newSketch();
        bins.forEach((index, count) -> {
            if (count > 0.5) {
                rest.getPositiveValueStore().add(index, count);
            }
        });
        double zeros = zeros(sketch) - zeros(taken.sketch);
        if (zeros > 0.5) {
            rest.accept(0, zeros);
        }
        return new DurationSketch(rest);
    }

    /** Equal when both hold the same count in every bin (so their quantiles agree). */
    @Override
    public boolean equals(Object other) {
        return other instanceof DurationSketch that && sketch.getCount() == that.sketch.getCount()
                && bins().equals(that.bins());
    }

    @Override
    public int hashCode() {
        return bins().hashCode();
    }

    private Map<Integer, Double> bins() {
        Map<Integer, Double> bins = new TreeMap<>();
        sketch.getPositiveValueStore().forEach((index, count) -> bins.merge(index, count, Double::sum));
        return bins;
    }

    /** How many durations fell below the smallest indexable value (zero durations, in practice). */
    private static double zeros(DDSketch sketch) {
        return sketch.getCount() - sketch.getPositiveValueStore().getTotalCount()
                - sketch.getNegativeValueStore().getTotalCount();
    }

    /** An independent copy. */
    public DurationSketch copy() {
        return new DurationSketch(sketch.copy());
    }

    /** How many durations were added. */
    public long count() {
        return Math.round(sketch.getCount());
    }

    /**
     * The duration at quantile {@code q} (0 to 1), in seconds, within {@link #RELATIVE_ACCURACY} of the value of
     * rank {@code floor(q * (count - 1))} among the sorted durations; NaN when the sketch is empty.
     */
    public double quantileSeconds(double q) {
        if (q < 0 || q > 1 || Double.isNaN(q)) {
            throw new IllegalArgumentException("a quantile is between 0 and 1, not " + q);
        }
        return sketch.isEmpty() ? Double.NaN : sketch.getValueAtQuantile(q);
    }

    /** How many durations were added, and their p50, p90 and p99 in seconds (null when there are none). */
    public DurationFigures figures() {
        long n = count();
        return n == 0 ? new DurationFigures(n, null, null, null)
                : new DurationFigures(n, quantileSeconds(0.5), quantileSeconds(0.9), quantileSeconds(0.99));
    }

    /** The sketch in DDSketch's own compact encoding, index mapping included. */
    public byte[] toBytes() {
        GrowingByteArrayOutput out = GrowingByteArrayOutput.withInitialCapacity(64);
        try {
            sketch.encode(out, false);
        } catch (IOException e) {
            throw new UncheckedIOException("encoding to memory failed", e);
        }
        return out.trimmedCopy();
    }

    /** Writes {@link #toBytes} after its length. */
    public void writeTo(java.io.DataOutputStream out) throws IOException {
        byte[] bytes = toBytes();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** Reads what {@link #writeTo} wrote. */
    public static DurationSketch readFrom(java.io.DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("a sketch of " + length + " bytes does not fit in the " + in.available() + " left");
        }
        return fromBytes(in.readNBytes(length));
    }

    /** Reads what {@link #toBytes} wrote. */
    public static DurationSketch fromBytes(byte[] bytes) throws IOException {
        return new DurationSketch(DDSketch.decode(ByteArrayInput.wrap(bytes),
                () -> new CollapsingLowestDenseStore(MAX_BINS)));
    }
}
