package io.cxpulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cxpulse.ingest.IngestServiceExtension.Running;
import io.cxpulse.platform.Directories;
import io.cxpulse.platform.LocalPlatform;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random and mutated bodies, to every endpoint in every content type: never a 5xx, never a stack trace, and a
 * 2xx only with a per-event result for each event.
 */
class IngestFuzzPropertyIT {
    private static final List<String> PATHS = List.of("/v1/survey-responses", "/v1/ticket-events",
            "/v1/touchpoints");
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/x-ndjson",
            "application/json; charset=utf-8", "text/plain", "application/xml");
    private static Path dataDir;
    private static LocalPlatform platform;
    private static Running ingest;

    /** One request: where, how, and what. */
    record Request(String path, String contentType, String body) {
    }

    @BeforeContainer
    static void start() throws Exception {
        dataDir = Files.createTempDirectory("cxpulse-fuzz-platform");
        platform = LocalPlatform.start(0, 0, dataDir);
        ingest = IngestServiceExtension.start(platform, Map.of("ingest.max.body.bytes", "65536"));
    }

    @AfterContainer
    static void stop() {
        // after a failed start too, which must stay the error reported
        if (ingest != null) {
            ingest.close();
        }
        if (platform != null) {
            platform.close();
        }
        if (dataDir != null) {
            Directories.deleteRecursively(dataDir);
        }
    }

    @Property(tries = 10_000)
    void noBodyYieldsA5xxOrAStackTrace(@ForAll("requests") Request request) {
        IngestHttp.Response response = ingest.http().post(request.path(), IngestServiceExtension.TOKEN,
                request.contentType(), request.body());

        assertThat(response.status()).as("%s %s%n%s", request.path(), request.body(), response.raw().body())
                .isLessThan(500);
        assertThat(response.raw().body()).doesNotContain("Exception").doesNotContain("\tat ");
        if (response.status() / 100 == 2) {
            JsonNode results = response.json().path("results");
            assertThat(results.size()).isEqualTo(response.json().path("accepted").asInt()
                    + response.json().path("rejected").asInt()).isPositive();
        }
    }

    @Provide
    Arbitrary<Request> requests() {
        Arbitrary<String> paths = Arbitraries.of(PATHS);
        Arbitrary<String> contentTypes = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just("application/json")),
                net.jqwik.api.Tuple.of(4, Arbitraries.just("application/x-ndjson")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(CONTENT_TYPES)));
        Arbitrary<String> bodies = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, mutatedEvents()),
                net.jqwik.api.Tuple.of(2, mutatedEvents().list().ofMaxSize(5).map(IngestFuzzPropertyIT::asArray)),
                net.jqwik.api.Tuple.of(2, mutatedEvents().list().ofMaxSize(5).map(e -> String.join("\n", e))),
                net.jqwik.api.Tuple.of(2, Arbitraries.strings().all().ofMaxLength(300)),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().withChars("{}[]\":,0123456789.eE-+ntrufalsx\\")
                        .ofMaxLength(200)));
        return Combinators.combine(paths, contentTypes, bodies).as(Request::new);
    }

    private static String asArray(List<String> events) {
        return "[" + String.join(",", events) + "]";
    }

    /** A valid event of any type, then zero to four mutations of its JSON tree or of its text. */
    private Arbitrary<String> mutatedEvents() {
        Arbitrary<ObjectNode> valid = Arbitraries.of("survey", "ticket", "touchpoint").map(kind -> switch (kind) {
            case "survey" -> Events.survey();
            case "ticket" -> Events.ticket();
            default -> Events.touchpoint();
        });
        Arbitrary<Mutation> mutation = Arbitraries.oneOf(
                Combinators.combine(fieldNames(), jsonValues()).as((field, value) -> onTree(event -> {
                    event.set(field, value);
                })),
                fieldNames().map(field -> onTree(event -> event.remove(field))),
                Arbitraries.integers().between(0, 400).map(cut -> text -> text.substring(0, Math.min(cut,
                        text.length()))),
                Combinators.combine(Arbitraries.integers().between(0, 400), Arbitraries.strings().all()
                        .ofMaxLength(5)).as((at, junk) -> text -> {
                            int position = Math.min(at, text.length());
                            return text.substring(0, position) + junk + text.substring(position);
                        }));
        return Combinators.combine(valid, mutation.list().ofMaxSize(4)).as((event, mutations) -> {
            String text = event.toString();
            for (Mutation m : mutations) {
                text = m.apply(text);
            }
            return text;
        });
    }

    /** A mutation of the event's JSON tree; leaves text that is no longer a JSON object as it is. */
    private static Mutation onTree(java.util.function.Consumer<ObjectNode> change) {
        return text -> {
            try {
                JsonNode tree = IngestHttp.JSON.readTree(text);
                if (tree instanceof ObjectNode object) {
                    change.accept(object);
                    return object.toString();
                }
            } catch (java.io.IOException e) {
                // already broken text: keep it
            }
            return text;
        };
    }

    @FunctionalInterface
    interface Mutation {
        String apply(String text);
    }

    private static Arbitrary<String> fieldNames() {
        return Arbitraries.oneOf(Arbitraries.of("eventId", "occurredAt", "customerId", "segment", "channel",
                "attributes", "surveyId", "metric", "score", "comment", "touchpoint", "journeyStage", "ticketId",
                "type", "priority", "queue", "agentId", "journeyId", "device", "interaction", "outcome",
                "frictionSignals", "durationMs", "errorCode", "receivedAt", "source"),
                Arbitraries.strings().all().ofMaxLength(10));
    }

    private static Arbitrary<JsonNode> jsonValues() {
        var json = IngestHttp.JSON.getNodeFactory();
        return Arbitraries.oneOf(
                Arbitraries.just(json.nullNode()),
                Arbitraries.of(true, false).map(json::booleanNode),
                Arbitraries.integers().map(json::numberNode),
                Arbitraries.longs().map(json::numberNode),
                Arbitraries.doubles().map(json::numberNode),
                Arbitraries.bigIntegers().between(java.math.BigInteger.TEN.pow(30).negate(),
                        java.math.BigInteger.TEN.pow(30)).map(json::numberNode),
                Arbitraries.strings().all().ofMaxLength(50).map(json::textNode),
                Arbitraries.of("NPS", "CSAT", "CES", "UNKNOWN", "WEB", "OPENED", "HIGH", "FAILED", "ERROR",
                        "2026-11-20T10:15:30Z", "9999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z",
                        "3f2b8c1e-6a4d-4e0f-9b7a-2c5d8e1f0a3b", "").map(json::textNode),
                Arbitraries.strings().all().ofMaxLength(5).list().ofMaxSize(4).map(items -> {
                    var array = json.arrayNode();
                    items.forEach(array::add);
                    return array;
                }),
                Arbitraries.strings().all().ofMaxLength(5).map(key -> {
                    var object = json.objectNode();
                    object.put(key, 1);
                    object.putArray("x").add(json.objectNode());
                    return object;
                }),
                Arbitraries.integers().between(1, 200).map(depth -> {
                    JsonNode node = json.textNode("deep");
                    for (int i = 0; i < depth; i++) {
                        node = json.arrayNode().add(node);
                    }
                    return node;
                }));
    }
}
