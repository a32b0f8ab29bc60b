package io.cxpulse.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cxpulse.avro.Channel;
import io.cxpulse.avro.Device;
import io.cxpulse.avro.FrictionSignal;
import io.cxpulse.avro.Interaction;
import io.cxpulse.avro.Outcome;
import io.cxpulse.avro.SurveyMetric;
import io.cxpulse.avro.TicketEventType;
import io.cxpulse.avro.TicketPriority;
import io.cxpulse.ingest.EventType;
import io.cxpulse.ingest.validation.EventValidator;
import io.cxpulse.ingest.validation.EventValidator.Accepted;
import io.cxpulse.ingest.validation.EventValidator.Result;
import io.cxpulse.ingest.validation.TestValidator;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Ingest's encoder writes exactly the bytes Avro's own writer does for the same record, for random valid events
 * of every type: optional fields present or not, strings beyond ASCII, attributes, friction signals.
 */
class EventEncoderPropertyTest {
    static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();
    static final TestValidator VALIDATOR = new TestValidator(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(30),
            Duration.ofMinutes(5));
    static final int SCHEMA_ID = 0x01020304;

    @Property(tries = 3_000)
    void writesWhatAvrosWriterWrites(@ForAll("events") Event event) throws IOException {
        Result result = VALIDATOR.validate(event.type(), event.json(), "src-" + event.type().label());
        assertThat(result).as("%s", event.json()).isInstanceOf(Accepted.class);
        Accepted accepted = (Accepted) result;

        byte[] written = new EventEncoder(event.type().schema(), SCHEMA_ID).encode(accepted);

        assertThat(written).as("%s", event.json()).isEqualTo(avro(TestValidator.record(accepted)));
    }

    @Example
    void writesAnEventOfTheLargestSizeAndTheNextOneAlike() throws IOException {
        ObjectNode large = JSON.createObjectNode().put("occurredAt", NOW.minusSeconds(1).toString())
                .put("customerId", "c-1").put("surveyId", "s-1").put("metric", "NPS").put("score", 3)
                .put("comment", "漢".repeat(4_000));
        ObjectNode attributes = large.putObject("attributes");
        for (int i = 0; i < EventValidator.MAX_ATTRIBUTES; i++) {
            attributes.put("key-" + i, "é".repeat(EventValidator.MAX_ATTRIBUTE_VALUE));
        }
        ObjectNode small = JSON.createObjectNode().put("occurredAt", NOW.minusSeconds(1).toString())
                .put("customerId", "c-2").put("surveyId", "s-1").put("metric", "CES").put("score", 7);
        EventEncoder encoder = new EventEncoder(EventType.SURVEY_RESPONSE.schema(), SCHEMA_ID);

        for (ObjectNode json : List.of(large, small, large)) {
            Accepted accepted = (Accepted) VALIDATOR.validate(EventType.SURVEY_RESPONSE, json, "s");
            assertThat(encoder.encode(accepted)).isEqualTo(avro(TestValidator.record(accepted)));
        }
    }

    @Example
    void refusesASchemaWithAShapeItDoesNotWrite() {
        Schema schema = SchemaBuilder.record("Odd").namespace("io.cxpulse.test").fields()
                .requiredString("id").requiredDouble("ratio").endRecord();

        assertThatThrownBy(() -> new EventEncoder(schema, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field ratio of io.cxpulse.test.Odd");
    }

    /** The Confluent header for {@link #SCHEMA_ID}, then the record as Avro's specific writer writes it. */
    private static byte[] avro(SpecificRecordBase record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0, 1, 2, 3, 4});
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<SpecificRecordBase>(record.getSchema(), record.getSpecificData())
                .write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    record Event(EventType type, ObjectNode json) {
    }

    @Provide
    Arbitrary<Event> events() {
        return Arbitraries.of(EventType.values()).flatMap(type -> Arbitraries.randomValue(random -> {
            Draw draw = new Draw(random);
            ObjectNode json = JSON.createObjectNode();
            draw.maybe(json, "eventId", () -> java.util.UUID.nameUUIDFromBytes(draw.text(8).getBytes()).toString());
            json.put("occurredAt", NOW.minusMillis(random.nextInt(86_400_000)).toString());
            json.put("customerId", draw.text(30));
            draw.maybe(json, "segment", () -> draw.text(12));
            draw.maybeSymbol(json, "channel", Channel.values());
            if (random.nextBoolean()) {
                ObjectNode attributes = json.putObject("attributes");
                for (int i = random.nextInt(4); i > 0; i--) {
                    attributes.put(draw.text(8), draw.text(20));
                }
            }
            switch (type) {
                case SURVEY_RESPONSE -> {
                    json.put("surveyId", draw.text(10));
                    SurveyMetric metric = draw.symbol(SurveyMetric.values());
                    json.put("metric", metric.name());
                    json.put("score", switch (metric) {
                        case NPS -> random.nextInt(11);
                        case CSAT -> 1 + random.nextInt(5);
                        default -> 1 + random.nextInt(7);
                    });
                    draw.maybe(json, "comment", () -> draw.text(300));
                    draw.maybe(json, "touchpoint", () -> draw.text(20));
                    draw.maybe(json, "journeyStage", () -> draw.text(10));
                }
                case TICKET_EVENT -> {
                    json.put("ticketId", draw.text(16));
                    json.put("type", draw.symbol(TicketEventType.values()).name());
                    json.put("priority", draw.symbol(TicketPriority.values()).name());
                    draw.maybe(json, "queue", () -> draw.text(10));
                    draw.maybe(json, "agentId", () -> draw.text(10));
                }
                case TOUCHPOINT -> {
                    json.put("touchpoint", draw.text(20));
                    draw.maybe(json, "journeyId", () -> draw.text(20));
                    draw.maybe(json, "journeyStage", () -> draw.text(10));
                    draw.maybeSymbol(json, "device", Device.values());
                    draw.maybeSymbol(json, "interaction", Interaction.values());
                    json.put("outcome", draw.symbol(Outcome.values()).name());
                    if (random.nextBoolean()) {
                        ArrayNode signals = json.putArray("frictionSignals");
                        for (int i = random.nextInt(5); i > 0; i--) {
                            signals.add(draw.symbol(FrictionSignal.values()).name());
                        }
                    }
                    if (random.nextBoolean()) {
                        json.put("durationMs", random.nextBoolean() ? random.nextInt(100_000)
                                : Math.abs(random.nextLong() >> 1));
                    }
                    draw.maybe(json, "errorCode", () -> draw.text(12));
                }
            }
            return new Event(type, json);
        }));
    }

    /** Random values for one event. */
    private record Draw(java.util.Random random) {
        /** Pieces of text: ASCII, two-byte and three-byte UTF-8, a surrogate pair, and characters JSON escapes. */
        private static final List<String> PIECES = List.of("a", "Z", "7", "-", " ", "é", "ß", "漢", "字", "😀",
                "\"", "\\", "\n", "\u2028");

        String text(int maxPieces) {
            StringBuilder text = new StringBuilder("x");
            for (int i = random.nextInt(maxPieces); i > 0; i--) {
                text.append(PIECES.get(random.nextInt(PIECES.size())));
            }
            return random.nextBoolean() ? text.reverse().toString().strip() + "y" : text.toString();
        }

        <E extends Enum<E>> E symbol(E[] symbols) {
            E symbol;
            do {
                symbol = symbols[random.nextInt(symbols.length)];
            } while (symbol.name().equals("UNKNOWN"));
            return symbol;
        }

        void maybe(ObjectNode json, String field, java.util.function.Supplier<String> value) {
            if (random.nextBoolean()) {
                json.put(field, value.get());
            }
        }

        <E extends Enum<E>> void maybeSymbol(ObjectNode json, String field, E[] symbols) {
            if (random.nextBoolean()) {
                json.put(field, symbol(symbols).name());
            }
        }
    }
}
