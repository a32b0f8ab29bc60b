package io.cxpulse.ingest.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import io.cxpulse.common.LayeredConfig;
import io.cxpulse.ingest.EventType;
import io.cxpulse.ingest.auth.TokenAuthenticator;

import org.apache.kafka.common.config.ConfigException;

/**
 * The ingest service's settings, parsed once from a {@link LayeredConfig}. Every key, with its default:
 *
 * <pre>
 * http.host                 127.0.0.1
 * http.port                 8080
 * ingest.tokens             dev:dev-token        source:token[:type|type], comma-separated
 * ingest.tokens.file        (none)               the same, one per line; replaces ingest.tokens
 * ingest.max.events         1000                 events per request
 * ingest.max.body.bytes     1048576              request body size
 * ingest.ack.timeout        PT10S                how long a request waits for Kafka to acknowledge
 * ingest.max.event.age      P30D                 oldest occurredAt accepted
 * ingest.max.clock.skew     PT5M                 how far in the future occurredAt may be
 * ingest.rate.limit         0                    events per second per source; 0 means unlimited
 * ingest.shutdown.timeout   PT30S                how long shutdown waits for requests in flight
 * topics.create             true                 create missing topics at start
 * topics.partitions         6                    partitions of topics created at start
 * topic.survey-responses    cx.survey-responses.v1   (likewise topic.ticket-events, topic.touchpoints)
 * kafka.*                   kafka.bootstrap.servers=127.0.0.1:9092; any producer setting passes through
 * schema.registry.*         schema.registry.url=http://127.0.0.1:8081; Confluent client settings
 * </pre>
 */
public record IngestConfig(String host, int port, TokenAuthenticator authenticator, int maxEvents,
        int maxBodyBytes, Duration ackTimeout, Duration maxEventAge, Duration maxClockSkew, int rateLimit,
        Duration shutdownTimeout, boolean createTopics, int topicPartitions, Map<EventType, String> topics,
        Map<String, Object> kafka, Map<String, Object> registry) {

    /** The defaults, the bottom layer. */
    public static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("http.host", "127.0.0.1");
        defaults.put("http.port", "8080");
        defaults.put("ingest.tokens", "dev:dev-token");
        defaults.put("ingest.max.events", "1000");
        defaults.put("ingest.max.body.bytes", Integer.toString(1024 * 1024));
        defaults.put("ingest.ack.timeout", "PT10S");
        defaults.put("ingest.max.event.age", "P30D");
        defaults.put("ingest.max.clock.skew", "PT5M");
        defaults.put("ingest.rate.limit", "0");
        defaults.put("ingest.shutdown.timeout", "PT30S");
        defaults.put("topics.create", "true");
        defaults.put("topics.partitions", "6");
        for (EventType type : EventType.values()) {
            defaults.put("topic." + type.path(), type.defaultTopic());
        }
        defaults.put("kafka.bootstrap.servers", "127.0.0.1:9092");
        defaults.put("schema.registry.url", "http://127.0.0.1:8081");
        return defaults;
    }

    /** Keys set in the configuration that no setting reads: most likely typos, worth a warning. */
    public static java.util.List<String> unknownKeys(LayeredConfig config) {
        java.util.Set<String> known = new java.util.HashSet<>(defaults().keySet());
        known.add("ingest.tokens.file");
        known.add("config.file");
        return config.unknownKeys(known, java.util.List.of("kafka.", "schema.registry."));
    }

    /** Parses and validates every setting; a bad value fails with a message naming its key. */
    public static IngestConfig from(LayeredConfig config) {
        String tokens = config.optional("ingest.tokens.file").map(file -> {
            try {
                return Files.readString(Path.of(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ConfigException("ingest.tokens.file", file, "cannot be read: " + e.getMessage());
            }
        }).orElseGet(() -> config.string("ingest.tokens"));
        String tokensKey = config.optional("ingest.tokens.file").isPresent() ? "ingest.tokens.file" : "ingest.tokens";
        Map<EventType, String> topics = new EnumMap<>(EventType.class);
        for (EventType type : EventType.values()) {
            topics.put(type, config.string("topic." + type.path()));
        }
        Duration ackTimeout = config.duration("ingest.ack.timeout");
        if (ackTimeout.isZero() || ackTimeout.toMillis() > Integer.MAX_VALUE / 2) {
            throw new ConfigException("ingest.ack.timeout", ackTimeout, "must be positive and under 12 days");
        }
        return new IngestConfig(config.string("http.host"), config.integer("http.port", 0, 65_535),
                TokenAuthenticator.parse(tokens, tokensKey),
                config.integer("ingest.max.events", 1, 1_000_000),
                config.integer("ingest.max.body.bytes", 1_024, 256 * 1024 * 1024),
                ackTimeout, config.duration("ingest.max.event.age"), config.duration("ingest.max.clock.skew"),
                config.integer("ingest.rate.limit", 0, Integer.MAX_VALUE),
                config.duration("ingest.shutdown.timeout"), config.bool("topics.create"),
                config.integer("topics.partitions", 1, 10_000), topics,
                new HashMap<>(config.withPrefix("kafka.", true)),
                new HashMap<>(config.withPrefix("schema.registry.", false)));
    }
}
