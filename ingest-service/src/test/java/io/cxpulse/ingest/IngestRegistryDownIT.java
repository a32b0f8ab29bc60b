package io.cxpulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import io.cxpulse.ingest.IngestServiceExtension.Running;
import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.platform.Ports;
import io.cxpulse.platform.junit.LocalPlatformExtension;
import io.cxpulse.platform.registry.RegistrySettings;
import io.cxpulse.platform.registry.SchemaRegistryServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Ingest started while the schema registry is down: not ready, and a clear 503 (nothing sent) until the registry
 * answers; then ready, and the same request accepted.
 */
@ExtendWith(LocalPlatformExtension.class)
class IngestRegistryDownIT {

    @Test
    void shouldAnswerAClear503UntilTheRegistryAnswersThenAccept(LocalPlatform platform) throws Exception {
        int registryPort = Ports.free();
        try (Running ingest = IngestServiceExtension.startWithoutWaiting(platform,
                Map.of("schema.registry.url", "http://127.0.0.1:" + registryPort))) {
            IngestHttp http = new IngestHttp(ingest.service().url());
            String event = Events.survey().toString();

            IngestHttp.Response ready = http.get("/health/ready");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.json().path("checks").path("schemas").asText()).isEqualTo("DOWN");
            IngestHttp.Response refused = http.postJson("/v1/survey-responses", IngestServiceExtension.TOKEN, event);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.json().path("type").asText()).isEqualTo("/problems/registry_unavailable");
            assertThat(refused.json().path("detail").asText()).contains("schema registry does not answer");
            assertThat(refused.header("Retry-After")).isEqualTo("5");

            try (SchemaRegistryServer registry = SchemaRegistryServer.start(
                    RegistrySettings.loopback(registryPort, platform.bootstrapServers()))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/health/ready").status() == 200);
                assertThat(http.postJson("/v1/survey-responses", IngestServiceExtension.TOKEN, event).status())
                        .isEqualTo(202);
            }
        }
    }
}
