package io.cxpulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cxpulse.ingest.IngestServiceExtension.Running;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every endpoint accepts every body form, answering 202 with one accepted result per event in order. */
@ExtendWith(IngestServiceExtension.class)
class IngestHappyPathIT {

    @Test
    void shouldAcceptOneSurveyResponse(Running ingest) {
        assertAcceptsOneObject(ingest, "/v1/survey-responses", Events::survey);
    }

    @Test
    void shouldAcceptAnArrayOfSurveyResponses(Running ingest) {
        assertAcceptsArray(ingest, "/v1/survey-responses", Events::survey);
    }

    @Test
    void shouldAcceptSurveyResponsesAsNdjson(Running ingest) {
        assertAcceptsNdjson(ingest, "/v1/survey-responses", Events::survey);
    }

    @Test
    void shouldAcceptOneTicketEvent(Running ingest) {
        assertAcceptsOneObject(ingest, "/v1/ticket-events", Events::ticket);
    }

    @Test
    void shouldAcceptAnArrayOfTicketEvents(Running ingest) {
        assertAcceptsArray(ingest, "/v1/ticket-events", Events::ticket);
    }

    @Test
    void shouldAcceptTicketEventsAsNdjson(Running ingest) {
        assertAcceptsNdjson(ingest, "/v1/ticket-events", Events::ticket);
    }

    @Test
    void shouldAcceptOneTouchpoint(Running ingest) {
        assertAcceptsOneObject(ingest, "/v1/touchpoints", Events::touchpoint);
    }

    @Test
    void shouldAcceptAnArrayOfTouchpoints(Running ingest) {
        assertAcceptsArray(ingest, "/v1/touchpoints", Events::touchpoint);
    }

    @Test
    void shouldAcceptTouchpointsAsNdjson(Running ingest) {
        assertAcceptsNdjson(ingest, "/v1/touchpoints", Events::touchpoint);
    }

    @Test
    void shouldGenerateAnEventIdWhenNoneIsSent(Running ingest) {
        ObjectNode event = Events.survey();
        event.remove("eventId");

        IngestHttp.Response response = ingest.http().postJson("/v1/survey-responses", IngestServiceExtension.TOKEN,
                event.toString());

        assertThat(response.status()).isEqualTo(202);
        assertThat(response.result(0).path("eventId").asText()).matches("[0-9a-f-]{36}");
    }

    @Test
    void shouldAcceptAnOccurredAtWithAnOffset(Running ingest) {
        ObjectNode event = Events.ticket();
        event.put("occurredAt", java.time.OffsetDateTime.now(java.time.ZoneOffset.ofHours(2)).minusMinutes(1)
                .toString());

        assertThat(ingest.http().postJson("/v1/ticket-events", IngestServiceExtension.HELPDESK_TOKEN,
                event.toString()).status()).isEqualTo(202);
    }

    private static void assertAcceptsOneObject(Running ingest, String path, Supplier<ObjectNode> event) {
        ObjectNode sent = event.get();

        IngestHttp.Response response = ingest.http().postJson(path, IngestServiceExtension.TOKEN, sent.toString());

        assertThat(response.status()).as(response.raw().body()).isEqualTo(202);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.json().path("accepted").asInt()).isEqualTo(1);
        assertThat(response.json().path("rejected").asInt()).isZero();
        assertThat(response.result(0).path("index").asInt()).isZero();
        assertThat(response.result(0).path("status").asText()).isEqualTo("accepted");
        assertThat(response.result(0).path("eventId").asText()).isEqualTo(sent.path("eventId").asText());
        assertThat(response.result(0).path("errors")).isEmpty();
    }

    private static void assertAcceptsArray(Running ingest, String path, Supplier<ObjectNode> event) {
        List<ObjectNode> sent = List.of(event.get(), event.get(), event.get());

        IngestHttp.Response response = ingest.http().postJson(path, IngestServiceExtension.TOKEN, Events.array(sent));

        assertAllAccepted(response, sent);
    }

    private static void assertAcceptsNdjson(Running ingest, String path, Supplier<ObjectNode> event) {
        List<ObjectNode> sent = List.of(event.get(), event.get(), event.get(), event.get());

        IngestHttp.Response response = ingest.http().post(path, IngestServiceExtension.TOKEN,
                "application/x-ndjson", Events.ndjson(sent));

        assertAllAccepted(response, sent);
    }

    private static void assertAllAccepted(IngestHttp.Response response, List<ObjectNode> sent) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(202);
        assertThat(response.json().path("accepted").asInt()).isEqualTo(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            assertThat(response.result(i).path("index").asInt()).isEqualTo(i);
            assertThat(response.result(i).path("status").asText()).isEqualTo("accepted");
            assertThat(response.result(i).path("eventId").asText()).isEqualTo(sent.get(i).path("eventId").asText());
        }
    }
}
