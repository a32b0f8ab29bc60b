package io.cxpulse.streams.survey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import io.cxpulse.avro.SurveyMetric;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class SurveyFiguresPropertyTest {

    @Provide
    Arbitrary<List<Integer>> npsScores() {
        return Arbitraries.integers().between(0, 10).list().ofMinSize(1).ofMaxSize(500);
    }

    private static ScoreHistogram histogram(List<Integer> scores) {
        ScoreHistogram histogram = ScoreHistogram.empty(SurveyMetric.NPS);
        scores.forEach(histogram::add);
        return histogram;
    }

    @Property
    void npsStaysWithinMinus100And100(@ForAll("npsScores") List<Integer> scores) {
        SurveyFigures figures = histogram(scores).figures();

        assertThat(figures.nps()).isBetween(-100.0, 100.0);
        assertThat(figures.marginOfError()).isBetween(0.0, 196.0);
        assertThat(figures.promoters() + figures.passives() + figures.detractors()).isEqualTo(scores.size());
    }

    @Property
    void npsAgreesWithCountingEachResponseByHand(@ForAll("npsScores") List<Integer> scores) {
        long promoters = scores.stream().filter(s -> s >= 9).count();
        long detractors = scores.stream().filter(s -> s <= 6).count();

        assertThat(histogram(scores).figures().nps())
                .isCloseTo(100.0 * (promoters - detractors) / scores.size(), within(1e-9));
    }

    @Property
    void theMarginOfErrorShrinksAsTheSampleGrows(@ForAll("npsScores") List<Integer> scores,
            @ForAll @IntRange(min = 2, max = 50) int times) {
        ScoreHistogram small = histogram(scores);
        ScoreHistogram large = ScoreHistogram.empty(SurveyMetric.NPS);
        for (int i = 0; i < times; i++) {
            large.addAll(small);
        }
        double before = small.figures().marginOfError();
        double after = large.figures().marginOfError();

        assertThat(large.figures().nps()).isCloseTo(small.figures().nps(), within(1e-9));
        if (before == 0) {
            assertThat(after).isZero();
        } else {
            assertThat(after).isLessThan(before).isCloseTo(before / Math.sqrt(times), within(1e-9));
        }
    }

    @Property
    void addingHistogramsIsAddingTheirResponses(@ForAll("npsScores") List<Integer> first,
            @ForAll("npsScores") List<Integer> second) {
        List<Integer> both = new java.util.ArrayList<>(first);
        both.addAll(second);

        assertThat(histogram(first).addAll(histogram(second))).isEqualTo(histogram(both));
    }

    @Property
    void theHistogramSurvivesItsStoreFormat(@ForAll("npsScores") List<Integer> scores) {
        ScoreHistogramSerde serde = new ScoreHistogramSerde();
        ScoreHistogram histogram = histogram(scores);

        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", histogram)))
                .isEqualTo(histogram);
    }
}
