package io.cxpulse.streams.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cxpulse.common.LayeredConfig;
import io.cxpulse.ingest.IngestService;
import io.cxpulse.ingest.config.IngestConfig;
import io.cxpulse.platform.Directories;
import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.streams.MetricsStreamsApp;
import io.cxpulse.streams.MetricsStreamsConfig;

import org.apache.kafka.streams.KafkaStreams;

/**
 * A whole pipeline on the shared local platform, on topics of its own: an ingest service, and as many
 * metrics-streams instances as a test starts (one application id, a state directory each).
 */
final class Pipeline implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "it-token";

    private final LocalPlatform platform;
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final Path stateRoot;
    private final IngestService ingest;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<MetricsStreamsApp> instances = new ArrayList<>();

    Pipeline(LocalPlatform platform) throws IOException {
        this.platform = platform;
        this.stateRoot = Files.createTempDirectory("metrics-streams-it");
        Map<String, String> settings = new HashMap<>(IngestConfig.defaults());
        settings.put("http.port", "0");
        settings.put("http.drain.delay", "PT0S");
        settings.put("ingest.tokens", "it:" + TOKEN);
        settings.put("kafka.bootstrap.servers", platform.bootstrapServers());
        settings.put("schema.registry.url", platform.schemaRegistryUrl());
        settings.put("topics.partitions", "3");
        settings.put("topic.survey-responses", "it.survey-responses." + suffix);
        settings.put("topic.ticket-events", "it.ticket-events." + suffix);
        settings.put("topic.touchpoints", "it.touchpoints." + suffix);
        ingest = IngestService.start(IngestConfig.from(LayeredConfig.of(settings)), Clock.systemUTC());
        await().atMost(Duration.ofSeconds(30)).until(ingest::schemasRegistered);
    }

    /** Starts an instance with its own state directory {@code name}, and waits until it runs. */
    MetricsStreamsApp startStreams(String name) {
        return startStreams(name, Map.of());
    }

    /** Starts an instance as {@link #startStreams(String)} does, with {@code overrides} over the tests' settings. */
    MetricsStreamsApp startStreams(String name, Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(MetricsStreamsConfig.defaults());
        settings.put("http.port", "0");
        settings.put("http.drain.delay", "PT0S");
        settings.put("application.id", "it-metrics-" + suffix);
        settings.put("state.dir", stateRoot.resolve(name).toString());
        settings.put("survey.emit.interval", "PT0.2S");
        settings.put("topics.partitions", "3");
        settings.put("kafka.bootstrap.servers", platform.bootstrapServers());
        settings.put("kafka.commit.interval.ms", "100");
        // a stopped instance's consumer is declared gone after 6 s (the broker's minimum) instead of 45 s
        settings.put("kafka.session.timeout.ms", "6000");
        settings.put("kafka.heartbeat.interval.ms", "1000");
        settings.put("schema.registry.url", platform.schemaRegistryUrl());
        settings.put("topic.survey-responses", "it.survey-responses." + suffix);
        settings.put("topic.survey-aggregates", "it.survey-aggregates." + suffix);
        settings.put("topic.ticket-events", "it.ticket-events." + suffix);
        settings.put("topic.touchpoints", "it.touchpoints." + suffix);
        settings.put("topic.ticket-aggregates", "it.ticket-aggregates." + suffix);
        settings.put("topic.friction-aggregates", "it.friction-aggregates." + suffix);
        settings.put("friction.emit.interval", "PT0.2S");
        settings.put("ticket.emit.interval", "PT0.2S");
        settings.put("ticket.settle.interval", "PT0.2S");
        settings.put("topic.alerts", "it.alerts." + suffix);
        settings.put("topic.dead-letter", "it.dead-letter." + suffix);
        settings.putAll(overrides);
        MetricsStreamsApp app = MetricsStreamsApp.start(MetricsStreamsConfig.from(LayeredConfig.of(settings)));
        instances.add(app);
        await().atMost(Duration.ofSeconds(60)).until(() -> app.state() == KafkaStreams.State.RUNNING);
        return app;
    }

    /**
     * This pipeline's name for a topic: survey-responses, survey-aggregates, ticket-events, ticket-aggregates,
     * touchpoints, friction-aggregates, alerts or dead-letter.
     */
    String topic(String name) {
        return "it." + name + "." + suffix;
    }

    LocalPlatform platform() {
        return platform;
    }

    /** Stops one instance as SIGTERM would. */
    void stop(MetricsStreamsApp app) {
        app.close();
        instances.remove(app);
    }

    /** Posts the survey responses to ingest as JSON arrays of at most 500; every one must be accepted. */
    void send(List<Map<String, Object>> events) throws IOException, InterruptedException {
        send("survey-responses", events);
    }

    /** Posts the events to ingest's {@code /v1/<type>} as JSON arrays of at most 500; all must be accepted. */
    void send(String type, List<Map<String, Object>> events) throws IOException, InterruptedException {
        for (int from = 0; from < events.size(); from += 500) {
            String body = JSON.writeValueAsString(events.subList(from, Math.min(events.size(), from + 500)));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(ingest.url()
                            + "/v1/" + type)).header("Authorization", "Bearer " + TOKEN)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 202) {
                throw new AssertionError("ingest answered " + response.statusCode() + ": " + response.body());
            }
        }
    }

    /** GET {@code pathAndQuery} on {@code app}: the status and JSON body. */
    JsonNode get(MetricsStreamsApp app, String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(app.url() + pathAndQuery))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        return JSON.createObjectNode().put("status", response.statusCode()).set("body", body);
    }

    String metrics(MetricsStreamsApp app) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(app.url() + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Override
    public void close() {
        new ArrayList<>(instances).forEach(this::stop);
        ingest.close();
        Directories.deleteRecursively(stateRoot);
    }
}
