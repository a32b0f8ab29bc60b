package io.cxpulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cxpulse.ingest.IngestServiceExtension.Running;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each rule an event can break: 422, naming the field and saying why. */
@ExtendWith(IngestServiceExtension.class)
class IngestRejectionIT {
    IngestHttp http;

    @BeforeEach
    void setUp(Running ingest) {
        http = ingest.http();
    }

    @Test
    void shouldRejectAMissingRequiredField() {
        assertRejected("/v1/survey-responses", Events.survey(), e -> e.remove("surveyId"), "surveyId",
                "is required");
    }

    @Test
    void shouldRejectANullRequiredField() {
        assertRejected("/v1/touchpoints", Events.touchpoint(), e -> e.putNull("outcome"), "outcome", "is required");
    }

    @Test
    void shouldRejectAnUnknownField() {
        assertRejected("/v1/ticket-events", Events.ticket(), e -> e.put("sla", "4h"), "sla", "is not a field");
    }

    @Test
    void shouldRejectAStampedFieldSentByTheClient() {
        assertRejected("/v1/survey-responses", Events.survey(), e -> e.put("source", "spoofed"), "source",
                "is set by ingest");
        assertRejected("/v1/survey-responses", Events.survey(), e -> e.put("receivedAt", Instant.now().toString()),
                "receivedAt", "is set by ingest");
    }

    @Test
    void shouldRejectAWrongJsonType() {
        assertRejected("/v1/survey-responses", Events.survey(), e -> e.put("score", "9"), "score",
                "must be a whole number");
        assertRejected("/v1/survey-responses", Events.survey(), e -> e.put("customerId", 42), "customerId",
                "must be a string");
        assertRejected("/v1/touchpoints", Events.touchpoint(), e -> e.put("durationMs", 1.5), "durationMs",
                "whole number");
    }

    @Test
    void shouldRejectAFractionalScore() {
        assertRejected("/v1/survey-responses", Events.survey(), e -> e.put("score", 8.5), "score",
                "must be a whole number");
    }

    @Test
    void shouldRejectAnUnknownEnumSymbol() {
        assertRejected("/v1/survey-responses", Events.survey(), e -> e.put("metric", "CSI"), "metric",
                "must be one of NPS, CSAT, CES");
    }

    @Test
    void shouldRejectTheReservedUnknownSymbol() {
        assertRejected("/v1/ticket-events", Events.ticket(), e -> e.put("type", "UNKNOWN"), "type", "must be one of");
    }

    @Test
    void shouldRejectAnUnknownFrictionSignalAtItsIndex() {
        assertRejected("/v1/touchpoints", Events.touchpoint(),
                e -> e.putArray("frictionSignals").add("ERROR").add("GRUMPY"), "frictionSignals[1]",
                "must be one of ERROR");
    }

    @Test
    void shouldRejectAnNpsScoreAboveTen() {
        assertRejected("/v1/survey-responses", Events.survey(), e -> e.put("score", 11), "score",
                "between 0 and 10 for NPS");
    }

    @Test
    void shouldRejectANegativeNpsScore() {
        assertRejected("/v1/survey-responses", Events.survey(), e -> e.put("score", -1), "score",
                "between 0 and 10 for NPS");
    }

    @Test
    void shouldRejectACsatScoreOfZero() {
        assertRejected("/v1/survey-responses", Events.survey(), e -> e.put("metric", "CSAT").put("score", 0),
                "score", "between 1 and 5 for CSAT");
    }

    @Test
    void shouldRejectACsatScoreAboveFive() {
        assertRejected("/v1/survey-responses", Events.survey(), e -> e.put("metric", "CSAT").put("score", 6),
                "score", "between 1 and 5 for CSAT");
    }

    @Test
    void shouldRejectACesScoreAboveSeven() {
        assertRejected("/v1/survey-responses", Events.survey(), e -> e.put("metric", "CES").put("score", 8),
                "score", "between 1 and 7 for CES");
    }

    @Test
    void shouldRejectAnEventIdThatIsNotAUuid() {
        assertRejected("/v1/survey-responses", Events.survey(), e -> e.put("eventId", "evt-123"), "eventId",
                "must be a UUID");
    }

    @Test
    void shouldRejectAnOccurredAtThatIsNotIso8601() {
        assertRejected("/v1/survey-responses", Events.survey(), e -> e.put("occurredAt", "20/11/2026 10:15"),
                "occurredAt", "ISO-8601");
        assertRejected("/v1/survey-responses", Events.survey(), e -> e.put("occurredAt", "2026-11-20T10:15:30"),
                "occurredAt", "ISO-8601");
    }

    @Test
    void shouldRejectAnOccurredAtMoreThanFiveMinutesAhead() {
        assertRejected("/v1/touchpoints", Events.touchpoint(),
                e -> e.put("occurredAt", Instant.now().plusSeconds(6 * 60).toString()), "occurredAt",
                "more than 5 minutes ahead of the time it was received (events.max.clock.skew)");
    }

    @Test
    void shouldRejectAnOccurredAtOlderThanTheHorizon() {
        assertRejected("/v1/touchpoints", Events.touchpoint(),
                e -> e.put("occurredAt", Instant.now().minusSeconds(31L * 24 * 3600).toString()), "occurredAt",
                "older than 30 days (events.max.age)");
    }

    @Test
    void shouldRejectACommentOver4000Characters() {
        assertRejected("/v1/survey-responses", Events.survey(), e -> e.put("comment", "é".repeat(4_001)), "comment",
                "at most 4000 characters");
    }

    @Test
    void shouldAcceptACommentOfExactly4000Characters() {
        ObjectNode event = Events.survey();
        event.put("comment", "😀".repeat(4_000));

        assertThat(http.postJson("/v1/survey-responses", IngestServiceExtension.TOKEN, event.toString()).status())
                .isEqualTo(202);
    }

    @Test
    void shouldRejectAnIdentifierOver200Characters() {
        assertRejected("/v1/ticket-events", Events.ticket(), e -> e.put("ticketId", "T".repeat(201)), "ticketId",
                "at most 200 characters");
    }

    @Test
    void shouldRejectABlankIdentifier() {
        assertRejected("/v1/ticket-events", Events.ticket(), e -> e.put("customerId", "  "), "customerId",
                "must not be blank");
    }

    @Test
    void shouldRejectANonStringAttribute() {
        assertRejected("/v1/survey-responses", Events.survey(),
                e -> e.putObject("attributes").put("plan", 3), "attributes.plan", "must be a string");
    }

    @Test
    void shouldRejectAnArrayElementThatIsNotAnObject() {
        IngestHttp.Response response = http.postJson("/v1/survey-responses", IngestServiceExtension.TOKEN,
                "[" + Events.survey() + ", 42]");

        assertThat(response.status()).isEqualTo(207);
        assertThat(response.errorsOf(1, "")).contains("must be a JSON object");
    }

    @Test
    void shouldReportEveryErrorOfOneEvent() {
        ObjectNode event = Events.survey();
        event.remove("customerId");
        event.put("score", 12);
        event.put("channel", "PIGEON");
        event.put("comment", 7);

        IngestHttp.Response response = http.postJson("/v1/survey-responses", IngestServiceExtension.TOKEN,
                event.toString());

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.result(0).path("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("customerId", "score", "channel", "comment");
    }

    private void assertRejected(String path, ObjectNode event, Consumer<ObjectNode> breakIt, String field,
            String message) {
        breakIt.accept(event);

        IngestHttp.Response response = http.postJson(path, IngestServiceExtension.TOKEN, event.toString());

        assertThat(response.status()).as(response.raw().body()).isEqualTo(422);
        assertThat(response.json().path("rejected").asInt()).isEqualTo(1);
        assertThat(response.result(0).path("status").asText()).isEqualTo("rejected");
        assertThat(response.errorsOf(0, field)).as(response.raw().body()).contains(message);
    }
}
