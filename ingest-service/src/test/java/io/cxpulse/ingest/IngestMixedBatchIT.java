package io.cxpulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cxpulse.ingest.IngestServiceExtension.Running;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A batch of valid and invalid events: 207, with exactly the right errors at exactly the right index. */
@ExtendWith(IngestServiceExtension.class)
class IngestMixedBatchIT {

    @Test
    void shouldAnswer207WithPerIndexErrors(Running ingest) {
        ObjectNode valid0 = Events.survey();
        ObjectNode invalid1 = Events.survey();
        invalid1.put("metric", "CSAT");
        invalid1.put("score", 0);
        invalid1.remove("customerId");
        invalid1.put("colour", "blue");
        ObjectNode valid2 = Events.survey();
        ObjectNode invalid3 = Events.survey();
        invalid3.put("eventId", "not-a-uuid");
        invalid3.put("channel", "FAX");
        ObjectNode valid4 = Events.survey();

        IngestHttp.Response response = ingest.http().postJson("/v1/survey-responses", IngestServiceExtension.TOKEN,
                Events.array(List.of(valid0, invalid1, valid2, invalid3, valid4)));

        assertThat(response.status()).isEqualTo(207);
        assertThat(response.json().path("accepted").asInt()).isEqualTo(3);
        assertThat(response.json().path("rejected").asInt()).isEqualTo(2);
        assertThat(response.json().path("results")).hasSize(5);
        assertThat(response.result(0).path("status").asText()).isEqualTo("accepted");
        assertThat(response.result(2).path("status").asText()).isEqualTo("accepted");
        assertThat(response.result(4).path("status").asText()).isEqualTo("accepted");

        assertThat(response.result(1).path("status").asText()).isEqualTo("rejected");
        assertThat(response.result(1).path("eventId").asText()).isEqualTo(invalid1.path("eventId").asText());
        assertThat(fields(response, 1)).containsExactlyInAnyOrder("colour", "customerId", "score");
        assertThat(response.errorsOf(1, "score")).contains("between 1 and 5 for CSAT");
        assertThat(response.errorsOf(1, "customerId")).contains("is required");
        assertThat(response.errorsOf(1, "colour")).contains("is not a field");

        assertThat(response.result(3).path("status").asText()).isEqualTo("rejected");
        assertThat(fields(response, 3)).containsExactlyInAnyOrder("eventId", "channel");
        assertThat(response.errorsOf(3, "channel")).contains("must be one of WEB, MOBILE_APP");
    }

    @Test
    void shouldReportABadNdjsonLineAtItsIndex(Running ingest) {
        String body = Events.touchpoint() + "\n{\"broken\": \n" + Events.touchpoint() + "\n";

        IngestHttp.Response response = ingest.http().post("/v1/touchpoints", IngestServiceExtension.TOKEN,
                "application/x-ndjson", body);

        assertThat(response.status()).isEqualTo(207);
        assertThat(response.result(1).path("status").asText()).isEqualTo("rejected");
        assertThat(response.result(1).path("errors").path(0).path("message").asText()).contains("not JSON");
        assertThat(response.result(2).path("status").asText()).isEqualTo("accepted");
    }

    @Test
    void shouldAnswer422WhenNoEventIsAccepted(Running ingest) {
        ObjectNode bad = Events.ticket();
        bad.put("priority", "CRITICAL");

        IngestHttp.Response response = ingest.http().postJson("/v1/ticket-events", IngestServiceExtension.TOKEN,
                Events.array(List.of(bad, bad)));

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().path("accepted").asInt()).isZero();
        assertThat(response.json().path("rejected").asInt()).isEqualTo(2);
    }

    private static List<String> fields(IngestHttp.Response response, int index) {
        return response.result(index).path("errors").findValuesAsText("field");
    }
}
