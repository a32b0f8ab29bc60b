package io.cxpulse.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void shouldGiveDifferentPortsWhenAskedForSeveralAtOnce() {
        for (int round = 0; round < 20; round++) {
            int[] ports = Ports.free(64);

            assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(64);
            assertThat(Arrays.stream(ports).allMatch(port -> port >= 1 && port <= 65_535)).isTrue();
        }
    }

    @Test
    void shouldGiveARunOfFreePorts() {
        int first = Ports.freeRun(3);

        assertThat(Ports.free(8)).doesNotContain(first, first + 1, first + 2).hasSize(8);
    }
}
