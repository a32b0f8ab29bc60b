package io.cxpulse.streams.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Sketch percentiles agree with an exact computation on the same data, within the stated relative error. */
class DurationSketchPropertyTest {
    private static final double[] QUANTILES = {0, 0.5, 0.9, 0.99, 1};

    @Provide
    Arbitrary<List<Duration>> durations() {
        // from a millisecond to about 29 days (10^6.4 s), spread over every magnitude, with some exact zeros
        Arbitrary<Duration> spread = Arbitraries.doubles().between(-3, 6.4).ofScale(6)
                .map(exponent -> Duration.ofNanos(Math.round(Math.pow(10, exponent) * 1e9)));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(20, spread),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Duration.ZERO))).list().ofMinSize(1).ofMaxSize(2_000);
    }

    @Property(tries = 300)
    void shouldBeWithinTheRelativeErrorOfTheExactQuantiles(@ForAll("durations") List<Duration> durations,
            @ForAll @IntRange(min = 1, max = 4) int parts) {
        // built in parts and merged, as a rolling window merges its buckets
        DurationSketch merged = DurationSketch.empty();
        for (int part = 0; part < parts; part++) {
            DurationSketch sketch = DurationSketch.empty();
            for (int i = part; i < durations.size(); i += parts) {
                sketch.add(durations.get(i));
            }
            merged.merge(sketch);
        }
        double[] sorted = durations.stream().mapToDouble(d -> d.toNanos() / 1e9).sorted().toArray();

        assertThat(merged.count()).isEqualTo(durations.size());
        for (double q : QUANTILES) {
            double exact = sorted[(int) Math.floor(q * (sorted.length - 1))];
            assertThat(merged.quantileSeconds(q)).as("quantile %s of %s durations", q, sorted.length)
                    .isBetween(exact * (1 - DurationSketch.RELATIVE_ACCURACY) - 1e-12,
                            exact * (1 + DurationSketch.RELATIVE_ACCURACY) + 1e-12);
        }
    }

    /**
     * Taking durations back out leaves exactly the sketch of the rest, so its quantiles are within the stated error
     * of the exact quantiles of what remains.
     */
    @Property(tries = 200)
    void shouldLeaveTheSketchOfTheRestWhenDurationsAreTakenBackOut(@ForAll("durations") List<Duration> durations,
            @ForAll @IntRange(min = 2, max = 5) int every) {
        DurationSketch all = DurationSketch.empty();
        DurationSketch taken = DurationSketch.empty();
        DurationSketch rest = DurationSketch.empty();
        java.util.List<Double> remaining = new java.util.ArrayList<>();
        for (int i = 0; i < durations.size(); i++) {
            all.add(durations.get(i));
            if (i % every == 0) {
                taken.add(durations.get(i));
            } else {
                rest.add(durations.get(i));
                remaining.add(durations.get(i).toNanos() / 1e9);
            }
        }

        DurationSketch left = all.minus(taken);

        assertThat(left).isEqualTo(rest);
        assertThat(left.count()).isEqualTo(remaining.size());
        remaining.sort(Double::compare);
        for (double q : QUANTILES) {
            if (remaining.isEmpty()) {
                assertThat(left.quantileSeconds(q)).isNaN();
                continue;
            }
            double exact = remaining.get((int) Math.floor(q * (remaining.size() - 1)));
            assertThat(left.quantileSeconds(q)).isBetween(exact * (1 - DurationSketch.RELATIVE_ACCURACY) - 1e-12,
                    exact * (1 + DurationSketch.RELATIVE_ACCURACY) + 1e-12);
        }
    }

    @Property(tries = 100)
    void shouldKeepItsQuantilesThroughItsEncoding(@ForAll("durations") List<Duration> durations) throws Exception {
        DurationSketch sketch = DurationSketch.empty();
        durations.forEach(sketch::add);

        DurationSketch read = DurationSketch.fromBytes(sketch.toBytes());

        assertThat(read.count()).isEqualTo(sketch.count());
        for (double q : QUANTILES) {
            assertThat(read.quantileSeconds(q)).isEqualTo(sketch.quantileSeconds(q));
        }
        // and a sketch read back merges with a new one, as a bucket read from its store merges into a window
        DurationSketch window = DurationSketch.empty();
        window.merge(read);
        window.merge(DurationSketch.fromBytes(sketch.toBytes()));
        assertThat(window.count()).isEqualTo(2 * sketch.count());
        assertThat(window.quantileSeconds(0.5)).isEqualTo(sketch.quantileSeconds(0.5));
    }

    @Example
    void shouldAnswerNothingWhenEmptyAndRefuseNegativeDurations() {
        DurationSketch sketch = DurationSketch.empty();

        assertThat(sketch.quantileSeconds(0.5)).isNaN();
        assertThat(sketch.count()).isZero();
        assertThatThrownBy(() -> sketch.add(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sketch.quantileSeconds(1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Example
    void shouldGiveTheCanonicalTicketsFirstResponse() {
        DurationSketch sketch = DurationSketch.empty();
        sketch.add(Duration.ofMinutes(30));

        assertThat(sketch.quantileSeconds(0.99)).isCloseTo(1_800, org.assertj.core.data.Percentage.withPercentage(1));
    }
}
