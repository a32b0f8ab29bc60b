package io.cxpulse.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceSlotTest {

    @Test
    void shouldGiveEachInstanceItsOwnSlotAndTheSameOneAfterARestart(@TempDir Path dir) {
        try (InstanceSlot first = InstanceSlot.claim(dir); InstanceSlot second = InstanceSlot.claim(dir)) {
            assertThat(first.number()).isEqualTo(1);
            assertThat(second.number()).isEqualTo(2);
            assertThat(first.stateDir()).isEqualTo(dir.resolve("slot-1"));
            assertThat(Files.isDirectory(second.stateDir())).isTrue();
            first.close();
            try (InstanceSlot restarted = InstanceSlot.claim(dir)) {
                assertThat(restarted.number()).as("the slot a stopped instance let go of").isEqualTo(1);
            }
        }
    }
}
