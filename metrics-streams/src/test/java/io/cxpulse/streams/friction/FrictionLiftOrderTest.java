package io.cxpulse.streams.friction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** How touchpoints rank by detractor lift: what makes detractors comes first. */
class FrictionLiftOrderTest {
    private static final FrictionSettings SETTINGS = FrictionSettings.defaults();

    /** Responses that met friction ({@code metDetractors} of {@code met} detractors) and that passed cleanly. */
    private static FrictionBucket responses(int met, int metDetractors, int clean, int cleanDetractors) {
        FrictionBucket bucket = FrictionBucket.empty();
        for (int i = 0; i < met; i++) {
            bucket.addAll(FrictionBucket.response(true, i < metDetractors));
        }
        for (int i = 0; i < clean; i++) {
            bucket.addAll(FrictionBucket.response(false, i < cleanDetractors));
        }
        return bucket;
    }

    @Test
    void shouldRankASignificantlyNegativeLiftBelowEveryPositiveOne() {
        // 30/40 against 5/40: lift +0.625, significant; 0/40 against 30/40: lift -0.75, significant the other way;
        // 1/3 against 0/3: lift +0.33 on too few responses to be significant
        FrictionBucket makesDetractors = responses(40, 30, 40, 5);
        FrictionBucket makesPromoters = responses(40, 0, 40, 30);
        FrictionBucket thin = responses(3, 1, 3, 0);
        List<FrictionBucket> ranked = new ArrayList<>(List.of(makesPromoters, thin, makesDetractors));

        ranked.sort(FrictionBucket.byDetractorLift(SETTINGS.liftMinResponses(), SETTINGS.liftZ()));

        assertThat(makesDetractors.liftSignificant(SETTINGS.liftMinResponses(), SETTINGS.liftZ())).isTrue();
        assertThat(makesPromoters.liftSignificant(SETTINGS.liftMinResponses(), SETTINGS.liftZ())).isTrue();
        assertThat(makesPromoters.detractorLift()).isEqualTo(-0.75);
        assertThat(thin.liftSignificant(SETTINGS.liftMinResponses(), SETTINGS.liftZ())).isFalse();
        assertThat(ranked).containsExactly(makesDetractors, thin, makesPromoters);
    }
}
