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
 * Asks another instance of the application for its part of a query, or for the answer of a key it owns. An
 * instance that does not answer, or answers a part otherwise than with a 200 that holds it, makes the query
 * unanswerable for now (a 503 to the caller), not silently partial.
 */
final class Peers {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** What {@code host} answers to GET {@code pathAndQuery}, whatever its status. */
    HttpResponse<String> get(HostInfo host, String pathAndQuery) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port()
                    + pathAndQuery)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new InvalidStateStoreException("instance " + host + " did not answer: " + e.getMessage());
        }
    }

    /** The body of {@code host}'s answer to GET {@code pathAndQuery}, which must be a 200 holding {@code field}. */
    JsonNode answer(HostInfo host, String pathAndQuery, String field) throws IOException, InterruptedException {
        HttpResponse<String> response = get(host, pathAndQuery);
        JsonNode answer = response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        if (answer == null || answer.path(field).isMissingNode()) {
            throw new InvalidStateStoreException("instance " + host + " answered " + response.statusCode());
        }
        return answer;
    }
}
