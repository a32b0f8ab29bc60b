package io.cxpulse.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.javalin.Javalin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gate that answers the query API with 503 while metrics-streams builds its Streams application. */
class QueryGateTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private Javalin server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void shouldAnswer503UnderV1UntilOpenThenLetRequestsThrough() throws Exception {
        AtomicBoolean open = new AtomicBoolean(false);
        server = Javalin.create(config -> config.showJavalinBanner = false);
        MetricsStreamsApp.gateQueries(server, open::get);
        server.get("/health/live", ctx -> ctx.result("UP"));
        server.start("127.0.0.1", 0);
        // a route added after the start, as the query routes are
        server.get("/v1/nps", ctx -> ctx.result("nps"));

        for (String path : new String[] {"/v1/nps", "/v1/not-added-yet"}) {
            HttpResponse<String> closed = get(path);
            assertThat(closed.statusCode()).as(path).isEqualTo(503);
            assertThat(closed.headers().firstValue("Retry-After")).as(path).hasValue("2");
            assertThat(closed.headers().firstValue("Content-Type")).as(path).get().asString()
                    .startsWith("application/problem+json");
            assertThat(new ObjectMapper().readTree(closed.body()).path("instance").asText()).isEqualTo(path);
        }
        assertThat(get("/health/live").statusCode()).isEqualTo(200);

        open.set(true);
        HttpResponse<String> through = get("/v1/nps");
        assertThat(through.statusCode()).isEqualTo(200);
        assertThat(through.body()).isEqualTo("nps");
        assertThat(get("/v1/not-added-yet").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
