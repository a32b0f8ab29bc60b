package io.cxpulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.cxpulse.ingest.IngestServiceExtension.Running;
import io.cxpulse.platform.LocalPlatform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With the broker stopped, no request gets a 2xx: a 2xx from ingest means Kafka acknowledged the events. */
class IngestNoFalseSuccessIT {

    @Test
    void shouldNeverAnswer2xxWhileTheBrokerIsDown(@TempDir Path dataDir) {
        try (LocalPlatform platform = LocalPlatform.start(0, 0, dataDir);
             Running ingest = IngestServiceExtension.start(platform, Map.of("ingest.ack.timeout", "PT2S",
                     "kafka.request.timeout.ms", "1500", "kafka.delivery.timeout.ms", "3000"))) {
            IngestHttp http = ingest.http();
            assertThat(http.postJson("/v1/survey-responses", IngestServiceExtension.TOKEN,
                    Events.survey().toString()).status()).as("broker up").isEqualTo(202);

            platform.broker().close();

            for (String body : List.of(Events.survey().toString(), Events.array(List.of(Events.survey(),
                    Events.survey())), Events.survey().toString())) {
                IngestHttp.Response response = http.postJson("/v1/survey-responses", IngestServiceExtension.TOKEN,
                        body);
                assertThat(response.status()).as(response.raw().body()).isEqualTo(503);
                assertThat(response.header("Retry-After")).isNotBlank();
                assertThat(response.json().path("type").asText()).isEqualTo("/problems/kafka_unavailable");
            }
            IngestHttp.Response ticket = http.postJson("/v1/ticket-events", IngestServiceExtension.TOKEN,
                    Events.ticket().toString());
            assertThat(ticket.status()).isEqualTo(503);
            assertThat(http.get("/health/ready").status()).isEqualTo(503);
            assertThat(http.get("/health/live").status()).isEqualTo(200);
        }
    }
}
