package io.cxpulse.streams.query;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Asks another instance of the application for its part of a query: a GET that must answer 200 with a JSON
 * {@code partial} and the {@code partitions} it read. An instance that does not answer, or answers otherwise,
 * makes the query unanswerable for now (a 503 to the caller), not silently partial.
 */
final class Peers {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** What {@code host} answers to {@code pathAndQuery}: a body with its {@code partial} (and its partitions). */
    JsonNode answer(HostInfo host, String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port()
                    + pathAndQuery)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new InvalidStateStoreException("instance " + host + " did not answer: " + e.getMessage());
        }
        JsonNode answer = response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        if (answer == null || answer.path("partial").isMissingNode()) {
            throw new InvalidStateStoreException("instance " + host + " answered " + response.statusCode());
        }
        return answer;
    }
}
