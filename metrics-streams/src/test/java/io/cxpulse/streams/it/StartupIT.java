package io.cxpulse.streams.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import io.cxpulse.common.LayeredConfig;
import io.cxpulse.platform.Directories;
import io.cxpulse.platform.Ports;
import io.cxpulse.streams.MetricsStreamsApp;
import io.cxpulse.streams.MetricsStreamsConfig;

import org.junit.jupiter.api.Test;

/**
 * metrics-streams while it starts, against a "broker" that accepts connections and never answers: liveness,
 * readiness and the query API answer as a probe or a client expects, and a start that fails closes its port.
 */
class StartupIT {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void shouldAnswerHealthAndQueriesWhileStartingAndCloseItsPortWhenTheStartFails() throws Exception {
        Path state = Files.createTempDirectory("metrics-streams-startup");
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            }, "silent-broker");
            acceptor.setDaemon(true);
            acceptor.start();
            int port = Ports.free();
            Map<String, String> settings = new HashMap<>(MetricsStreamsConfig.defaults());
            settings.put("http.port", Integer.toString(port));
            settings.put("http.drain.delay", "PT0S");
            settings.put("application.id", "startup-it");
            settings.put("state.dir", state.toString());
            settings.put("kafka.bootstrap.servers", "127.0.0.1:" + silent.getLocalPort());
            // the start fails this long after it begins creating topics: the checks below run well within it
            settings.put("kafka.default.api.timeout.ms", "10000");
            settings.put("kafka.request.timeout.ms", "2000");
            // never contacted: the serdes reach the registry only for their first record
            settings.put("schema.registry.url", "http://127.0.0.1:1");
            MetricsStreamsConfig config = MetricsStreamsConfig.from(LayeredConfig.of(settings));

            CompletableFuture<MetricsStreamsApp> start = CompletableFuture.supplyAsync(
                    () -> MetricsStreamsApp.start(config));

            String url = "http://127.0.0.1:" + port;
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                    .until(() -> get(url + "/health/live").statusCode() == 200);
            assertThat(start).isNotDone();
            HttpResponse<String> ready = get(url + "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            JsonNode readiness = Pipeline.JSON.readTree(ready.body());
            assertThat(readiness.path("status").asText()).isEqualTo("DOWN");
            assertThat(readiness.path("checks").path("streams").asText()).isIn("STARTING", "CREATED");
            for (String query : List.of("/v1/nps?window=1h", "/v1/alerts", "/v1/response-times?window=1h",
                    "/v1/friction/top?window=7d")) {
                HttpResponse<String> answer = get(url + query);
                assertThat(answer.statusCode()).as(query).isEqualTo(503);
                assertThat(answer.headers().firstValue("Retry-After")).as(query).hasValue("2");
                assertThat(answer.headers().firstValue("Content-Type")).as(query).get().asString()
                        .startsWith("application/problem+json");
                assertThat(Pipeline.JSON.readTree(answer.body()).path("type").asText()).as(query)
                        .isEqualTo("/problems/not_ready");
            }
            HttpResponse<String> metrics = get(url + "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_memory_used_bytes");
            assertThat(get(url + "/nothing-here").statusCode()).isEqualTo(404);

            assertThatThrownBy(() -> start.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("topic");
            assertThatThrownBy(() -> get(url + "/health/live")).isInstanceOf(ConnectException.class);
            held.forEach(StartupIT::closeQuietly);
        } finally {
            Directories.deleteRecursively(state);
        }
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket the test held
        }
    }
}
