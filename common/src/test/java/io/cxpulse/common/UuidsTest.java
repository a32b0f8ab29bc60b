package io.cxpulse.common;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The canonical UUID form that ingest requires of an eventId and metrics-streams' contract checks again. */
class UuidsTest {
    @Test
    void shouldRecogniseOnlyCanonicalAsciiUuids() {
        assertThat(Uuids.isUuid("3f2b8c1e-6a4d-4e0f-9b7a-2c5d8e1f0a3B")).isTrue();
        assertThat(Uuids.isUuid("3f2b8c1e6a4d-4e0f-9b7a-2c5d8e1f0a3b0")).isFalse();
        assertThat(Uuids.isUuid("3f2b8c1e-6a4d-4e0f-9b7a-2c5d8e1f0a3g")).isFalse();
        assertThat(Uuids.isUuid("\u0663f2b8c1e-6a4d-4e0f-9b7a-2c5d8e1f0a3")).isFalse();
        assertThat(Uuids.isUuid("３f2b8c1e-6a4d-4e0f-9b7a-2c5d8e1f0a3b")).isFalse();
    }

    @Property(tries = 2_000)
    void uuidCheckAgreesWithTheCanonicalPattern(@ForAll long high, @ForAll long low, @ForAll boolean upperCase,
            @ForAll @IntRange(min = 0, max = 36) int position,
            @ForAll @Chars({'0', '9', 'a', 'f', 'A', 'F', 'g', 'G', '-', ' ', '\u0663'}) char replacement) {
        String uuid = new java.util.UUID(high, low).toString();
        uuid = upperCase ? uuid.toUpperCase(java.util.Locale.ROOT) : uuid;
        String text = position == 36 ? uuid + replacement
                : uuid.substring(0, position) + replacement + uuid.substring(position + 1);

        assertThat(Uuids.isUuid(uuid)).isTrue();
        assertThat(Uuids.isUuid(text)).isEqualTo(text.matches(
                "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"));
    }
}
