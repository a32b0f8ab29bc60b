package io.cxpulse.ingest.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The direct path for UTC instants agrees with java.time's ISO-8601 parser on every input. */
class TimestampsPropertyTest {

    @Property(tries = 5_000)
    void agreesWithTheIsoFormatterOnValidInstants(@ForAll("instants") Instant instant,
            @ForAll("fractionDigits") int digits) {
        String text = DateTimeFormatter.ISO_INSTANT.format(instant);
        String reformatted = digits == 0 ? text.replaceAll("\\.\\d+Z$", "Z")
                : text.replaceAll("(\\.\\d+)?Z$", "." + "123456789".substring(0, digits) + "Z");

        assertThat(Timestamps.parse(reformatted)).isEqualTo(reference(reformatted));
        assertThat(Timestamps.utc(reformatted)).isEqualTo(reference(reformatted).orElseThrow());
    }

    @Property(tries = 5_000)
    void agreesWithTheIsoFormatterOnMutatedText(@ForAll("instants") Instant instant,
            @ForAll("positions") int position, @ForAll("characters") char replacement) {
        char[] text = DateTimeFormatter.ISO_INSTANT.format(instant).toCharArray();
        text[position % text.length] = replacement;
        String mutated = new String(text);

        assertThat(Timestamps.parse(mutated)).isEqualTo(reference(mutated));
    }

    @Property(tries = 1_000)
    void agreesOnOffsetsOtherThanZ(@ForAll("instants") Instant instant, @ForAll("offsets") int offsetMinutes) {
        String text = OffsetDateTime.ofInstant(instant, java.time.ZoneOffset.ofTotalSeconds(offsetMinutes * 60))
                .toString();

        assertThat(Timestamps.parse(text)).isEqualTo(reference(text)).contains(instant);
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(-62_000_000_000_000L, 253_000_000_000_000L)
                .map(Instant::ofEpochMilli);
    }

    @Provide
    Arbitrary<Integer> fractionDigits() {
        return Arbitraries.integers().between(0, 9);
    }

    @Provide
    Arbitrary<Integer> positions() {
        return Arbitraries.integers().between(0, 40);
    }

    @Provide
    Arbitrary<Character> characters() {
        return Arbitraries.oneOf(Arbitraries.chars().with("0123456789-:TZ.+ zt"), Arbitraries.chars().all());
    }

    @Provide
    Arbitrary<Integer> offsets() {
        return Combinators.combine(Arbitraries.integers().between(-18, 18), Arbitraries.of(0, 30, 45))
                .as((hours, minutes) -> Math.max(-18 * 60, Math.min(18 * 60, hours * 60 + Integer.signum(hours)
                        * minutes)));
    }

    private static Optional<Instant> reference(String text) {
        try {
            return Optional.of(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
