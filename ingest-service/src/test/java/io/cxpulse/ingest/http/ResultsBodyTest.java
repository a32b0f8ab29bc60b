package io.cxpulse.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.ingest.validation.EventValidator.Accepted;
import io.cxpulse.ingest.validation.EventValidator.Rejected;
import io.cxpulse.ingest.validation.EventValidator.Result;
import io.cxpulse.ingest.validation.FieldError;
import io.cxpulse.ingest.validation.FieldError.Reason;
import io.cxpulse.ingest.validation.TestValidator;

import org.junit.jupiter.api.Test;

class ResultsBodyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldListEveryResultInOrderWithTotals() throws Exception {
        String first = UUID.randomUUID().toString();
        String third = UUID.randomUUID().toString().toUpperCase();
        List<Result> results = List.of(accepted(first),
                new Rejected("not \"quoted\" \\ \u2028 é", List.of(
                        new FieldError("score", "must be between 0 and 10 for NPS, was 11", Reason.OUT_OF_RANGE),
                        new FieldError("comment\n", "tab\there", Reason.WRONG_TYPE))),
                accepted(third),
                new Rejected(null, List.of(
                        new FieldError("", "each event must be a JSON object", Reason.NOT_AN_OBJECT))));

        JsonNode body = JSON.readTree(ResultsBody.write(results, 2));

        assertThat(body).isEqualTo(JSON.readTree("""
                {"accepted":2,"rejected":2,"results":[
                 {"index":0,"eventId":"%s","status":"accepted","errors":[]},
                 {"index":1,"eventId":"not \\"quoted\\" \\\\ \\u2028 é","status":"rejected","errors":[
                   {"field":"score","message":"must be between 0 and 10 for NPS, was 11"},
                   {"field":"comment\\n","message":"tab\\there"}]},
                 {"index":2,"eventId":"%s","status":"accepted","errors":[]},
                 {"index":3,"eventId":null,"status":"rejected","errors":[
                   {"field":"","message":"each event must be a JSON object"}]}]}
                """.formatted(first, third)));
    }

    @Test
    void shouldWriteEveryIndexOfALargeBatch() throws Exception {
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < 1_234; i++) {
            results.add(accepted(UUID.randomUUID().toString()));
        }

        JsonNode body = JSON.readTree(ResultsBody.write(results, results.size()));

        assertThat(body.get("results")).hasSize(1_234);
        for (int i = 0; i < results.size(); i++) {
            assertThat(body.get("results").get(i).get("index").intValue()).isEqualTo(i);
            assertThat(body.get("results").get(i).get("eventId").textValue()).isEqualTo(results.get(i).eventId());
        }
    }

    @Test
    void shouldWriteIndexesAcrossDigitBoundaries() throws Exception {
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < 10_001; i++) {
            results.add(i % 1_000 == 999 ? new Rejected(null, List.of(new FieldError("score", "m",
                    Reason.OUT_OF_RANGE))) : accepted(UUID.randomUUID().toString()));
        }

        JsonNode body = JSON.readTree(ResultsBody.write(results, results.size() - 10));

        assertThat(body.get("accepted").intValue()).isEqualTo(results.size() - 10);
        assertThat(body.get("rejected").intValue()).isEqualTo(10);
        for (int i : new int[] {0, 9, 10, 99, 100, 999, 1_000, 9_999, 10_000}) {
            assertThat(body.get("results").get(i).get("index").intValue()).isEqualTo(i);
        }
        assertThat(body.get("results").get(999).get("status").textValue()).isEqualTo("rejected");
    }

    @Test
    void shouldWriteAnEmptyList() throws Exception {
        assertThat(JSON.readTree(ResultsBody.write(List.of(), 0)))
                .isEqualTo(JSON.readTree("{\"accepted\":0,\"rejected\":0,\"results\":[]}"));
    }

    private static Accepted accepted(String eventId) {
        return TestValidator.accepted(eventId, "cust-1", new SurveyResponse());
    }
}
