package io.cxpulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cxpulse.ingest.IngestServiceExtension.Running;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Health, Prometheus metrics and the OpenAPI document. */
@ExtendWith(IngestServiceExtension.class)
class IngestOperationsIT {

    @Test
    void shouldBeLiveAndReady(Running ingest) {
        IngestHttp.Response live = ingest.http().get("/health/live");
        IngestHttp.Response ready = ingest.http().get("/health/ready");

        assertThat(live.status()).isEqualTo(200);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().path("checks").path("kafka").asText()).isEqualTo("UP");
        assertThat(ready.json().path("checks").path("schemas").asText()).isEqualTo("UP");
    }

    @Test
    void shouldCountEventsByTypeAndResult(Running ingest) {
        double acceptedBefore = value(ingest, "cx_ingest_events_total", "result=\"accepted\",type=\"touchpoint\"");
        double rejectedBefore = value(ingest, "cx_ingest_events_total", "result=\"rejected\",type=\"touchpoint\"");
        double rangeBefore = value(ingest, "cx_ingest_rejections_total", "reason=\"out_of_range\",type=\"touchpoint\"");
        ObjectNode bad = Events.touchpoint();
        bad.put("durationMs", -1);

        ingest.http().postJson("/v1/touchpoints", IngestServiceExtension.TOKEN,
                Events.array(java.util.List.of(Events.touchpoint(), Events.touchpoint(), bad)));

        assertThat(value(ingest, "cx_ingest_events_total", "result=\"accepted\",type=\"touchpoint\""))
                .isEqualTo(acceptedBefore + 2);
        assertThat(value(ingest, "cx_ingest_events_total", "result=\"rejected\",type=\"touchpoint\""))
                .isEqualTo(rejectedBefore + 1);
        assertThat(value(ingest, "cx_ingest_rejections_total", "reason=\"out_of_range\",type=\"touchpoint\""))
                .isEqualTo(rangeBefore + 1);
    }

    @Test
    void shouldCountRefusedRequestsByReason(Running ingest) {
        double before = value(ingest, "cx_ingest_rejections_total", "reason=\"unauthorized\",type=\"ticket_event\"");

        ingest.http().postJson("/v1/ticket-events", "nope", Events.ticket().toString());

        assertThat(value(ingest, "cx_ingest_rejections_total", "reason=\"unauthorized\",type=\"ticket_event\""))
                .isEqualTo(before + 1);
    }

    @Test
    void shouldExposeRequestTimingsProducerAndJvmMetrics(Running ingest) {
        ingest.http().postJson("/v1/survey-responses", IngestServiceExtension.TOKEN, Events.survey().toString());

        IngestHttp.Response metrics = ingest.http().get("/metrics");

        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).startsWith("text/plain");
        assertThat(metrics.raw().body())
                .containsPattern("http_server_requests_seconds_count\\{[^}]*method=\"POST\"[^}]*status=\"202\""
                        + "[^}]*uri=\"/v1/survey-responses\"")
                .containsPattern("http_server_requests_seconds_bucket\\{")
                .contains("kafka_producer_record_send_total")
                .contains("jvm_memory_used_bytes")
                .contains("jvm_threads_live_threads")
                .contains("jvm_classes_loaded_classes")
                .contains("process_cpu_usage");
    }

    @Test
    void shouldServeAValidOpenApiDocument(Running ingest) {
        IngestHttp.Response document = ingest.http().get("/openapi.yaml");

        SwaggerParseResult parsed = new OpenAPIParser().readContents(document.raw().body(), null, null);

        assertThat(document.status()).isEqualTo(200);
        assertThat(document.contentType()).startsWith("application/yaml");
        assertThat(parsed.getMessages()).isEmpty();
        assertThat(parsed.getOpenAPI().getPaths()).containsKeys("/v1/survey-responses", "/v1/ticket-events",
                "/v1/touchpoints", "/health/live", "/health/ready", "/metrics");
        assertThat(parsed.getOpenAPI().getPaths().get("/v1/touchpoints").getPost().getResponses())
                .containsKeys("202", "207", "400", "401", "413", "415", "422", "429", "503");
    }

    /** The value of one series in the Prometheus exposition, 0 when it is not there yet. */
    private static double value(Running ingest, String name, String labels) {
        String body = ingest.http().get("/metrics").raw().body();
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{" + Pattern.quote(labels)
                + "[^}]*\\} (\\S+)$").matcher(body);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}
