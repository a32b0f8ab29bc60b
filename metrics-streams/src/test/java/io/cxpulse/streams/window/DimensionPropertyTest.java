package io.cxpulse.streams.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import io.cxpulse.avro.SurveyMetric;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class DimensionPropertyTest {

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.strings().withChars("ab|=%7CD3 ").ofMinLength(1).ofMaxLength(12);
    }

    @Property
    void everyKeyNamesItsMetricAndDimensionExactly(@ForAll SurveyMetric metric,
            @ForAll("values") String segment, @ForAll("values") String channel, @ForAll("values") String touchpoint,
            @ForAll int cut) {
        if (metric == SurveyMetric.UNKNOWN) {
            return;
        }
        Dimension dimension = switch (Math.floorMod(cut, 5)) {
            case 0 -> Dimension.ALL;
            case 1 -> Dimension.segment(segment);
            case 2 -> Dimension.channel(channel);
            case 3 -> Dimension.touchpoint(touchpoint);
            default -> Dimension.segmentAndChannel(segment, channel);
        };

        assertThat(Dimension.parse(dimension.key(metric))).isEqualTo(new Dimension.Keyed(metric, dimension));
    }

    @Property
    void escapingRoundTripsAndKeepsNoSeparator(@ForAll("values") String value) {
        String escaped = Dimension.escape(value);

        assertThat(Dimension.unescape(escaped)).isEqualTo(value);
        assertThat(escaped).doesNotContain("|", "=");
        assertThat(escaped.replace("%25", "").replace("%7C", "").replace("%3D", "")).doesNotContain("%");
        if (!value.contains("|") && !value.contains("=") && !value.contains("%")) {
            assertThat(escaped).isEqualTo(value);
        }
    }

    @Property
    void aQueryNamesAtMostSegmentAndChannelOrATouchpointAlone(@ForAll("values") String touchpoint) {
        assertThat(Dimension.of("s", null, touchpoint)).isEqualTo(Optional.empty());
        assertThat(Dimension.of(null, "WEB", touchpoint)).isEqualTo(Optional.empty());
        assertThat(Dimension.of(null, null, touchpoint)).contains(Dimension.touchpoint(touchpoint));
    }
}
