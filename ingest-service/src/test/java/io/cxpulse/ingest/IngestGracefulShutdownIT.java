package io.cxpulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.cxpulse.ingest.IngestServiceExtension.Running;
import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.platform.junit.LocalPlatformExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Shutdown first fails readiness while it still serves (so that a load balancer takes the instance out), then stops
 * taking new requests but finishes the one in flight, with Kafka's acknowledgement.
 */
@ExtendWith(LocalPlatformExtension.class)
class IngestGracefulShutdownIT {

    @Test
    void shouldFinishARequestInFlightWhenStopping(LocalPlatform platform) throws Exception {
        Running ingest = IngestServiceExtension.start(platform, Map.of());
        URI url = URI.create(ingest.service().url());
        byte[] body = Events.survey().toString().getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/survey-responses HTTP/1.1\r\nHost: " + url.getHost() + "\r\n"
                    + "Authorization: Bearer " + IngestServiceExtension.TOKEN + "\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, body.length / 2);
            out.flush();
            Thread.sleep(300);

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(ingest::close);
            Thread.sleep(500);
            assertThat(stopping).as("shutdown waits for the request in flight").isNotDone();
            out.write(body, body.length / 2, body.length - body.length / 2);
            out.flush();

            String response = readResponse(socket.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 202");
            stopping.get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldFailReadinessButKeepServingDuringTheDrainDelay(LocalPlatform platform) throws Exception {
        Running ingest = IngestServiceExtension.start(platform, Map.of("http.drain.delay", "PT3S"));
        IngestHttp http = new IngestHttp(ingest.service().url());
        assertThat(http.get("/health/ready").status()).isEqualTo(200);

        long started = System.nanoTime();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(ingest::close);
        Thread.sleep(500);
        IngestHttp.Response ready = http.get("/health/ready");
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json().path("checks").path("shutdown").asText()).isEqualTo("STOPPING");
        assertThat(http.postJson("/v1/survey-responses", IngestServiceExtension.TOKEN, Events.survey().toString())
                .status()).as("still served while draining").isEqualTo(202);
        assertThat(stopping).isNotDone();
        stopping.get(60, TimeUnit.SECONDS);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isGreaterThanOrEqualTo(3_000);
    }

    private static String readResponse(InputStream in) throws Exception {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = in.read(buffer)) > 0) {
            text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            if (text.indexOf("\"results\"") > 0 && text.toString().trim().endsWith("}")) {
                break;
            }
        }
        return text.toString();
    }
}
