package io.cxpulse.ingest.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.ingest.EventType;
import io.cxpulse.ingest.Events;
import io.cxpulse.ingest.http.BodyParser;
import io.cxpulse.ingest.validation.EventValidator.Accepted;
import io.cxpulse.ingest.validation.EventValidator.Rejected;
import io.cxpulse.ingest.validation.EventValidator.Result;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import org.junit.jupiter.api.Test;

class EventValidatorTest {
    static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();
    final TestValidator validator = new TestValidator(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(30),
            Duration.ofMinutes(5));

    static ObjectNode survey(String metric, int score) {
        ObjectNode event = JSON.createObjectNode();
        event.put("occurredAt", "2026-11-20T11:00:00Z");
        event.put("customerId", "c-1");
        event.put("surveyId", "s-1");
        event.put("metric", metric);
        event.put("score", score);
        return event;
    }

    @Test
    void shouldStampReceivedAtSourceAndAGeneratedEventId() {
        Result result = validator.validate(EventType.SURVEY_RESPONSE, survey("NPS", 7), "crm");

        assertThat(result).isInstanceOf(Accepted.class);
        SurveyResponse record = (SurveyResponse) TestValidator.record((Accepted) result);
        assertThat(record.getReceivedAt()).isEqualTo(NOW);
        assertThat(record.getSource()).isEqualTo("crm");
        assertThat(record.getEventId()).isEqualTo(result.eventId()).hasSize(36);
        assertThat(((Accepted) result).key()).isEqualTo("c-1");
        assertThat(record.getOccurredAt()).isEqualTo(Instant.parse("2026-11-20T11:00:00Z"));
    }

    @Test
    void shouldWriteAnEventIdInLowerCaseWhateverCaseItWasSentIn() {
        Result result = validator.validate(EventType.SURVEY_RESPONSE,
                survey("NPS", 7).put("eventId", "0B0E7F5E-6B1C-4B7E-9A55-3F0A9D3C2B11"), "crm");

        assertThat(result.eventId()).isEqualTo("0b0e7f5e-6b1c-4b7e-9a55-3f0a9d3c2b11");
        assertThat(((SurveyResponse) TestValidator.record((Accepted) result)).getEventId())
                .isEqualTo("0b0e7f5e-6b1c-4b7e-9a55-3f0a9d3c2b11");
    }

    /** The values the metrics use for groups would merge a segment, touchpoint or queue into a group's row. */
    @Test
    void shouldRefuseTheReservedLabelValuesNamingTheField() {
        String hourAgo = NOW.minus(Duration.ofHours(1)).toString();
        Map<EventType, ObjectNode> reserved = Map.of(
                EventType.SURVEY_RESPONSE, Events.survey().put("occurredAt", hourAgo).put("segment", "all")
                        .put("touchpoint", "other"),
                EventType.TICKET_EVENT, Events.ticket().put("occurredAt", hourAgo).put("queue", "none"),
                EventType.TOUCHPOINT, Events.touchpoint().put("occurredAt", hourAgo).put("touchpoint", "other"));

        reserved.forEach((type, event) -> {
            Result result = validator.validate(type, event, "s");
            assertThat(result).as(type.toString()).isInstanceOf(Rejected.class);
            assertThat(((Rejected) result).errors()).as(type.toString()).allSatisfy(error -> {
                assertThat(error.reason()).isEqualTo(FieldError.Reason.RESERVED);
                assertThat(error.message()).contains("must not be all, other, none");
            });
        });
        assertThat(((Rejected) validator.validate(EventType.SURVEY_RESPONSE, reserved.get(EventType.SURVEY_RESPONSE),
                "s")).errors()).extracting(FieldError::field).containsExactly("segment", "touchpoint");
        // other spellings are other names
        assertThat(validator.validate(EventType.SURVEY_RESPONSE, Events.survey().put("occurredAt", hourAgo)
                .put("segment", "All"), "s")).isInstanceOf(Accepted.class);
    }

    @Test
    void shouldAcceptTheEdgesOfTheTimeWindow() {
        ObjectNode oldest = survey("NPS", 7).put("occurredAt", NOW.minus(Duration.ofDays(30)).toString());
        ObjectNode newest = survey("NPS", 7).put("occurredAt", NOW.plus(Duration.ofMinutes(5)).toString());
        ObjectNode tooOld = survey("NPS", 7).put("occurredAt", NOW.minus(Duration.ofDays(30)).minusMillis(1)
                .toString());
        ObjectNode tooNew = survey("NPS", 7).put("occurredAt", NOW.plus(Duration.ofMinutes(5)).plusMillis(1)
                .toString());

        assertThat(validator.validate(EventType.SURVEY_RESPONSE, oldest, "s")).isInstanceOf(Accepted.class);
        assertThat(validator.validate(EventType.SURVEY_RESPONSE, newest, "s")).isInstanceOf(Accepted.class);
        assertThat(reasons(validator.validate(EventType.SURVEY_RESPONSE, tooOld, "s")))
                .containsExactly(FieldError.Reason.TOO_OLD);
        assertThat(reasons(validator.validate(EventType.SURVEY_RESPONSE, tooNew, "s")))
                .containsExactly(FieldError.Reason.IN_FUTURE);
    }

    @Test
    void shouldNotCheckTheScoreRangeWhenTheMetricIsInvalid() {
        Result result = validator.validate(EventType.SURVEY_RESPONSE, survey("XYZ", 99), "s");

        assertThat(reasons(result)).containsExactly(FieldError.Reason.BAD_ENUM);
    }

    @Test
    void shouldRefuseNonObjects() {
        assertThat(reasons(validator.validate(EventType.TOUCHPOINT, JSON.getNodeFactory().textNode("x"), "s")))
                .containsExactly(FieldError.Reason.NOT_AN_OBJECT);
        assertThat(reasons(validator.validate(EventType.TOUCHPOINT, (JsonNode) null, "s")))
                .containsExactly(FieldError.Reason.NOT_AN_OBJECT);
    }

    @Test
    void shouldReadAnEventFromAStreamLeavingTheParserAtItsEnd() throws Exception {
        String body = "[" + survey("CES", 6).put("eventId", "3f2b8c1e-6a4d-4e0f-9b7a-2c5d8e1f0a3b")
                .set("attributes", JSON.createObjectNode().put("plan", "pro")).toString() + ", 5]";
        try (JsonParser parser = BodyParser.JSON.createParser(body)) {
            parser.nextToken();
            parser.nextToken();
            Result first = validator.validate(EventType.SURVEY_RESPONSE, parser, "s");
            parser.nextToken();
            Result second = validator.validate(EventType.SURVEY_RESPONSE, parser, "s");

            assertThat(first).isInstanceOf(Accepted.class);
            SurveyResponse record = (SurveyResponse) TestValidator.record((Accepted) first);
            assertThat(record.getEventId()).isEqualTo("3f2b8c1e-6a4d-4e0f-9b7a-2c5d8e1f0a3b");
            assertThat(record.getScore()).isEqualTo(6);
            assertThat(record.getAttributes()).containsExactly(java.util.Map.entry("plan", "pro"));
            assertThat(reasons(second)).containsExactly(FieldError.Reason.NOT_AN_OBJECT);
            assertThat(parser.nextToken()).isEqualTo(JsonToken.END_ARRAY);
        }
    }

    @Test
    void shouldRefuseAFieldNamedTwiceAsMalformedJson() {
        for (String event : new String[] {"{\"score\": 9, \"score\": 1}", "{\"extra\": 1, \"extra\": {}}"}) {
            assertThatThrownBy(() -> {
                try (JsonParser parser = BodyParser.JSON.createParser(event)) {
                    parser.nextToken();
                    validator.validate(EventType.SURVEY_RESPONSE, parser, "s");
                }
            }).as(event).isInstanceOf(JsonParseException.class).hasMessageContaining("Duplicate field");
        }
    }

    @Test
    void shouldReportEveryErrorInFieldOrderThenTheMissingFields() {
        ObjectNode event = JSON.createObjectNode().put("score", "nine").put("extra", true).put("metric", "NPX");
        event.putNull("customerId");

        assertThat(validator.validate(EventType.SURVEY_RESPONSE, event, "s")).isInstanceOfSatisfying(Rejected.class,
                rejected -> assertThat(rejected.errors()).extracting(FieldError::field)
                        .containsExactly("score", "extra", "metric", "customerId", "occurredAt", "surveyId"));
    }

    @Property
    void npsScoresAreAcceptedExactlyFrom0To10(@ForAll @IntRange(min = -50, max = 50) int score) {
        assertThat(validator.validate(EventType.SURVEY_RESPONSE, survey("NPS", score), "s") instanceof Accepted)
                .isEqualTo(score >= 0 && score <= 10);
    }

    @Property
    void csatScoresAreAcceptedExactlyFrom1To5(@ForAll @IntRange(min = -50, max = 50) int score) {
        assertThat(validator.validate(EventType.SURVEY_RESPONSE, survey("CSAT", score), "s") instanceof Accepted)
                .isEqualTo(score >= 1 && score <= 5);
    }

    @Property
    void cesScoresAreAcceptedExactlyFrom1To7(@ForAll @IntRange(min = -50, max = 50) int score) {
        assertThat(validator.validate(EventType.SURVEY_RESPONSE, survey("CES", score), "s") instanceof Accepted)
                .isEqualTo(score >= 1 && score <= 7);
    }

    /**
     * The validator matches each name against the one that followed the previous field last time (a hint shared
     * by all requests); whatever order the fields come in, and whatever came before, the outcome is the same.
     */
    @Property(tries = 2_000)
    void givesTheSameOutcomeForAnyOrderOfTheFields(@ForAll("orders") java.util.List<String> order,
            @ForAll @IntRange(min = 0, max = 12) int extraAt, @ForAll @IntRange(min = 0, max = 2) int extra)
            throws Exception {
        ObjectNode full = survey("CSAT", 4).put("eventId", "3f2b8c1e-6a4d-4e0f-9b7a-2c5d8e1f0a3b")
                .put("segment", "smb").put("channel", "WEB").put("comment", "fine").put("touchpoint", "cart")
                .put("journeyStage", "buy");
        full.putObject("attributes").put("plan", "pro");
        Object expected = TestValidator.record((Accepted) validator.validate(EventType.SURVEY_RESPONSE, full, "s"));
        StringBuilder body = new StringBuilder("{");
        for (int i = 0; i <= order.size(); i++) {
            if (i == Math.min(extraAt, order.size()) && extra > 0) {
                body.append(body.length() > 1 ? "," : "").append(extra == 1 ? "\"extra\":1" : "\"score\":4");
            }
            if (i < order.size()) {
                body.append(body.length() > 1 ? "," : "").append('"').append(order.get(i)).append("\":")
                        .append(full.get(order.get(i)));
            }
        }
        byte[] bytes = body.append('}').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (JsonParser parser = BodyParser.JSON.createParser(bytes)) {
            parser.nextToken();
            if (extra == 2) {
                assertThatThrownBy(() -> validator.validate(EventType.SURVEY_RESPONSE, parser, "s"))
                        .isInstanceOf(JsonParseException.class).hasMessageContaining("Duplicate field 'score'");
                return;
            }
            Result result = validator.validate(EventType.SURVEY_RESPONSE, parser, "s");
            assertThat(parser.currentToken()).isEqualTo(JsonToken.END_OBJECT);
            if (extra == 1) {
                assertThat(result).isInstanceOfSatisfying(Rejected.class, rejected -> assertThat(rejected.errors())
                        .extracting(FieldError::field, FieldError::reason)
                        .containsExactly(org.assertj.core.api.Assertions.tuple("extra",
                                FieldError.Reason.UNKNOWN_FIELD)));
            } else {
                assertThat(result).isInstanceOf(Accepted.class);
                assertThat(TestValidator.record((Accepted) result)).isEqualTo(expected);
            }
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<java.util.List<String>> orders() {
        return net.jqwik.api.Arbitraries.shuffle("eventId", "occurredAt", "customerId", "segment", "channel",
                "attributes", "surveyId", "metric", "score", "comment", "touchpoint", "journeyStage");
    }

    private static java.util.List<FieldError.Reason> reasons(Result result) {
        assertThat(result).isInstanceOf(Rejected.class);
        return ((Rejected) result).errors().stream().map(FieldError::reason).toList();
    }
}
