package io.cxpulse.streams.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The locator finds an id by the hash of its bytes wherever they lie: alone (an id asked about) or inside a batch
 * (an id read back on init or when its batch is deleted).
 */
class SeenEventIdsHashPropertyTest {
    @Property
    void shouldHashTheSameBytesTheSameAtAnyOffset(@ForAll @Size(max = 80) byte[] id,
            @ForAll @IntRange(max = 20) int before, @ForAll @IntRange(max = 20) int after, @ForAll byte filler) {
        byte[] batch = new byte[before + id.length + after];
        Arrays.fill(batch, filler);
        System.arraycopy(id, 0, batch, before, id.length);

        assertThat(SeenEventIds.hash(batch, before, id.length)).isEqualTo(SeenEventIds.hash(id, 0, id.length));
    }

    @Property
    void shouldTellAnIdFromItsPrefixPaddedWithZeros(@ForAll @Size(min = 1, max = 40) byte[] prefix,
            @ForAll @IntRange(min = 1, max = 9) int zeros) {
        byte[] padded = Arrays.copyOf(prefix, prefix.length + zeros);

        assertThat(SeenEventIds.hash(padded, 0, padded.length)).isNotEqualTo(SeenEventIds.hash(prefix, 0,
                prefix.length));
    }
}
