package io.cxpulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cxpulse.ingest.IngestServiceExtension.Running;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Requests refused as a whole: RFC 7807 problems with the right status, and nothing published. */
@ExtendWith(IngestServiceExtension.class)
class IngestRequestRefusalIT {

    @Test
    void shouldRefuseAMissingTokenWith401(Running ingest) {
        IngestHttp.Response response = ingest.http().postJson("/v1/survey-responses", null, Events.survey().toString());

        assertProblem(response, 401, "unauthorized");
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
    }

    @Test
    void shouldRefuseAWrongTokenWith401(Running ingest) {
        IngestHttp.Response response = ingest.http().postJson("/v1/survey-responses", "dev-tokeN",
                Events.survey().toString());

        assertProblem(response, 401, "unauthorized");
    }

    @Test
    void shouldNotReuseAnEarlierRequestsTokenOnAKeptAliveConnection(Running ingest) {
        IngestHttp http = ingest.http();
        assertThat(http.postJson("/v1/touchpoints", IngestServiceExtension.TOKEN, Events.touchpoint().toString())
                .status()).isEqualTo(202);

        IngestHttp.Response response = http.postJson("/v1/touchpoints", IngestServiceExtension.TOKEN.toUpperCase(),
                Events.touchpoint().toString());

        assertProblem(response, 401, "unauthorized");
    }

    @Test
    void shouldRefuseABasicAuthHeaderWith401(Running ingest) {
        IngestHttp.Response response = ingest.http().send(HttpRequest.newBuilder(
                        URI.create(ingest.service().url() + "/v1/touchpoints"))
                .header("Authorization", "Basic ZGV2OmRldi10b2tlbg==").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Events.touchpoint().toString())).build());

        assertProblem(response, 401, "unauthorized");
    }

    @Test
    void shouldRefuseAnEventTypeTheSourceMayNotSendWith403(Running ingest) {
        IngestHttp.Response response = ingest.http().postJson("/v1/survey-responses",
                IngestServiceExtension.HELPDESK_TOKEN, Events.survey().toString());

        assertProblem(response, 403, "forbidden");
    }

    @Test
    void shouldRefuseABodyOverTheSizeLimitWith413(Running ingest) {
        ObjectNode event = Events.survey();
        event.put("comment", "x".repeat(3_000));
        List<ObjectNode> events = new ArrayList<>(Collections.nCopies(400, event));

        IngestHttp.Response response = ingest.http().postJson("/v1/survey-responses", IngestServiceExtension.TOKEN,
                Events.array(events));

        assertProblem(response, 413, "too_large");
    }

    @Test
    void shouldRefuseAChunkedBodyOverTheSizeLimitWith413(Running ingest) {
        byte[] body = ("[" + (Events.survey() + ",").repeat(6_000) + Events.survey() + "]").getBytes();

        IngestHttp.Response response = ingest.http().send(HttpRequest.newBuilder(
                        URI.create(ingest.service().url() + "/v1/survey-responses"))
                .header("Authorization", "Bearer " + IngestServiceExtension.TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());

        assertProblem(response, 413, "too_large");
    }

    @Test
    void shouldRefuseMoreThanTheMaximumEventsWith413(Running ingest) {
        String body = "[" + String.join(",", Collections.nCopies(1_001, "{}")) + "]";

        IngestHttp.Response response = ingest.http().postJson("/v1/survey-responses", IngestServiceExtension.TOKEN,
                body);

        assertProblem(response, 413, "too_large");
        assertThat(response.json().path("detail").asText()).contains("more than 1000 events");
    }

    @Test
    void shouldRefuseAWrongContentTypeWith415(Running ingest) {
        IngestHttp.Response response = ingest.http().post("/v1/survey-responses", IngestServiceExtension.TOKEN,
                "text/plain", Events.survey().toString());

        assertProblem(response, 415, "unsupported_media_type");
    }

    @Test
    void shouldRefuseAMissingContentTypeWith415(Running ingest) {
        IngestHttp.Response response = ingest.http().post("/v1/survey-responses", IngestServiceExtension.TOKEN,
                null, Events.survey().toString());

        assertProblem(response, 415, "unsupported_media_type");
    }

    @Test
    void shouldRefuseABodyThatIsNotJsonWith400(Running ingest) {
        IngestHttp.Response response = ingest.http().postJson("/v1/survey-responses", IngestServiceExtension.TOKEN,
                "score=9&metric=NPS");

        assertProblem(response, 400, "malformed_body");
    }

    @Test
    void shouldRefuseNdjsonWhereNoLineParsesWith400(Running ingest) {
        IngestHttp.Response response = ingest.http().post("/v1/touchpoints", IngestServiceExtension.TOKEN,
                "application/x-ndjson", "hello\nworld\n");

        assertProblem(response, 400, "malformed_body");
    }

    @Test
    void shouldRefuseAnEmptyBodyWith400(Running ingest) {
        assertProblem(ingest.http().postJson("/v1/touchpoints", IngestServiceExtension.TOKEN, ""), 400,
                "malformed_body");
        assertProblem(ingest.http().postJson("/v1/touchpoints", IngestServiceExtension.TOKEN, "[]"), 400,
                "malformed_body");
    }

    @Test
    void shouldRefuseDuplicateFieldsWith400(Running ingest) {
        IngestHttp.Response response = ingest.http().postJson("/v1/survey-responses", IngestServiceExtension.TOKEN,
                "{\"score\": 9, \"score\": 1}");

        assertProblem(response, 400, "malformed_body");
        assertThat(response.json().path("detail").asText()).contains("score");
    }

    @Test
    void shouldRefuseASourceOverItsRateWith429(Running ingest) {
        try (Running limited = IngestServiceExtension.start(ingest.platform(),
                Map.of("ingest.rate.limit", "5", "ingest.max.events", "5"))) {
            List<ObjectNode> five = List.of(Events.ticket(), Events.ticket(), Events.ticket(), Events.ticket(),
                    Events.ticket());

            IngestHttp.Response first = limited.http().postJson("/v1/ticket-events", IngestServiceExtension.TOKEN,
                    Events.array(five));
            IngestHttp.Response second = limited.http().postJson("/v1/ticket-events", IngestServiceExtension.TOKEN,
                    Events.array(five));

            assertThat(first.status()).isEqualTo(202);
            assertProblem(second, 429, "rate_limited");
            assertThat(Integer.parseInt(second.header("Retry-After"))).isBetween(1, 2);
        }
    }

    @Test
    void shouldAnswerUnknownPathsWithAProblem(Running ingest) {
        assertProblem(ingest.http().postJson("/v1/complaints", IngestServiceExtension.TOKEN, "{}"), 404,
                "not_found");
    }

    private static void assertProblem(IngestHttp.Response response, int status, String slug) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().path("type").asText()).isEqualTo("/problems/" + slug);
        assertThat(response.json().path("status").asInt()).isEqualTo(status);
        assertThat(response.json().path("title").asText()).isNotBlank();
        assertThat(response.json().path("detail").asText()).isNotBlank();
        assertThat(response.raw().body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
