package io.cxpulse.streams.friction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

class KeptResponsesTest {

    @Test
    void shouldKeepOnlyTheLatestResponsesOfACustomerWhoAnswersVeryOften() {
        List<Long> times = new ArrayList<>(LongStream.range(0, 80).boxed().toList());
        Collections.shuffle(times, new Random(3));
        KeptResponses kept = new KeptResponses();
        times.forEach(at -> kept.add(at, at % 2 == 0));

        assertThat(kept.all()).hasSize(KeptResponses.MAX_PER_CUSTOMER);
        assertThat(kept.all()).extracting(KeptResponses.Kept::at).containsExactlyInAnyOrderElementsOf(
                LongStream.range(80 - KeptResponses.MAX_PER_CUSTOMER, 80).boxed().toList());
    }

    @Test
    void shouldForgetTheResponsesBeforeAGivenTime() {
        KeptResponses kept = new KeptResponses();
        kept.add(10, true);
        kept.add(20, false);

        assertThat(kept.pruneBefore(15)).isTrue();
        assertThat(kept.all()).containsExactly(new KeptResponses.Kept(20, false));
        assertThat(kept.pruneBefore(15)).isFalse();
    }
}
