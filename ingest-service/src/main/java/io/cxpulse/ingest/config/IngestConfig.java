package io.cxpulse.ingest.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.cxpulse.common.Draining;
import io.cxpulse.common.EventAge;
import io.cxpulse.common.LayeredConfig;
import io.cxpulse.common.Setting;
import io.cxpulse.common.SettingSet;
import io.cxpulse.ingest.EventType;
import io.cxpulse.ingest.auth.TokenAuthenticator;

import org.apache.kafka.common.config.ConfigException;

/**
 * The ingest service's settings, declared once below ({@link #SETTINGS}: keys, defaults, checks and what each does,
 * as docs/configuration.md lists them) and parsed once from a {@link LayeredConfig}.
 */
public record IngestConfig(String host, int port, TokenAuthenticator authenticator, int maxEvents,
        int maxBodyBytes, Duration ackTimeout, Duration maxEventAge, Duration maxClockSkew, int rateLimit,
        Duration shutdownTimeout, Duration drainDelay, boolean createTopics, int topicPartitions,
        Map<EventType, String> topics, Map<String, Object> kafka, Map<String, Object> registry) {

    public static final Setting<String> HOST = Setting.text("http.host", "127.0.0.1",
            "The address the HTTP API binds to (0.0.0.0 for every interface).");
    public static final Setting<Integer> PORT = Setting.integer("http.port", 8080, 0, 65_535,
            "The HTTP API's port (0: any free port).");
    public static final Setting<String> TOKENS = Setting.text("ingest.tokens", "dev:dev-token",
            "The sources and their bearer tokens: `source:token[:type|type]`, comma-separated; a source limited to "
                    + "types may send only those (`helpdesk:s3cret:ticket-events`).");
    public static final Setting<Optional<String>> TOKENS_FILE = Setting.optionalText("ingest.tokens.file",
            "A file of tokens in the same form, one per line; replaces `ingest.tokens`.");
    public static final Setting<Integer> MAX_EVENTS = Setting.integer("ingest.max.events", 1_000, 1, 1_000_000,
            "The most events in one request (413 above).");
    public static final Setting<Integer> MAX_BODY_BYTES = Setting.integer("ingest.max.body.bytes", 1_048_576,
            1_024, 256 * 1024 * 1024, "The largest request body, in bytes (413 above).");
    public static final Setting<Duration> ACK_TIMEOUT = Setting.positiveDuration("ingest.ack.timeout", "PT10S",
            "How long a request waits for Kafka to acknowledge its events before it answers 503 (under 12 days).");
    public static final Setting<Integer> RATE_LIMIT = Setting.integer("ingest.rate.limit", 0, 0, Integer.MAX_VALUE,
            "Events per second per source, per instance (429 above); 0 means unlimited.");
    public static final Setting<Duration> SHUTDOWN_TIMEOUT = Setting.duration("ingest.shutdown.timeout", "PT30S",
            "How long a stop waits for requests in flight, after `http.drain.delay`.");
    public static final Setting<Boolean> TOPICS_CREATE = Setting.bool("topics.create", true,
            "Create the event topics at start when they are missing.");
    public static final Setting<Integer> TOPICS_PARTITIONS = Setting.integer("topics.partitions", 6, 1, 10_000,
            "Partitions of the topics created at start (the three must match: see docs/operations.md).");
    /** The name of each event type's topic. */
    public static final Map<EventType, Setting<String>> TOPICS = topicSettings();

    /** Every setting of the ingest service. */
    public static final SettingSet SETTINGS = new SettingSet("ingest-service", SettingSet.concat(
            List.of(HOST, PORT, TOKENS, TOKENS_FILE, MAX_EVENTS, MAX_BODY_BYTES, ACK_TIMEOUT, EventAge.MAX_AGE,
                    EventAge.MAX_CLOCK_SKEW, RATE_LIMIT, Draining.DELAY, SHUTDOWN_TIMEOUT, TOPICS_CREATE,
                    TOPICS_PARTITIONS),
            List.copyOf(TOPICS.values())),
            List.of(new SettingSet.Prefix("kafka.", Map.of("kafka.bootstrap.servers", "127.0.0.1:9092"),
                            "Kafka producer and admin settings, passed through without the prefix "
                                    + "(`kafka.security.protocol`, `kafka.sasl.jaas.config`, ...)."),
                    new SettingSet.Prefix("schema.registry.", Map.of("schema.registry.url", "http://127.0.0.1:8081"),
                            "The schema registry client's settings, with Confluent's names "
                                    + "(`schema.registry.url`, `basic.auth.user.info`, "
                                    + "`schema.registry.ssl.truststore.location`, ...).")));

    private static Map<EventType, Setting<String>> topicSettings() {
        Map<EventType, Setting<String>> topics = new EnumMap<>(EventType.class);
        for (EventType type : EventType.values()) {
            topics.put(type, Setting.text(type.topic().settingKey(), type.topic().defaultName(),
                    "The topic " + type.path() + " are written to."));
        }
        return topics;
    }

    /** The defaults, the bottom layer. */
    public static Map<String, String> defaults() {
        return SETTINGS.defaults();
    }

    /** Keys set in the configuration that no setting reads: most likely typos, worth a warning. */
    public static List<String> unknownKeys(LayeredConfig config) {
        return SETTINGS.unknownKeys(config);
    }

    /** Parses and validates every setting; a bad value fails with a message naming its key. */
    public static IngestConfig from(LayeredConfig config) {
        Optional<String> tokensFile = TOKENS_FILE.read(config);
        String tokens = tokensFile.map(file -> {
            try {
                return Files.readString(Path.of(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ConfigException(TOKENS_FILE.key(), file, "cannot be read: " + e.getMessage());
            }
        }).orElseGet(() -> TOKENS.read(config));
        Map<EventType, String> topics = new EnumMap<>(EventType.class);
        TOPICS.forEach((type, setting) -> topics.put(type, setting.read(config)));
        Duration ackTimeout = ACK_TIMEOUT.read(config);
        if (ackTimeout.toMillis() > Integer.MAX_VALUE / 2) {
            throw new ConfigException(ACK_TIMEOUT.key(), ackTimeout, "must be positive and under 12 days");
        }
        return new IngestConfig(HOST.read(config), PORT.read(config),
                TokenAuthenticator.parse(tokens, tokensFile.isPresent() ? TOKENS_FILE.key() : TOKENS.key()),
                MAX_EVENTS.read(config), MAX_BODY_BYTES.read(config), ackTimeout, EventAge.MAX_AGE.read(config),
                EventAge.MAX_CLOCK_SKEW.read(config), RATE_LIMIT.read(config), SHUTDOWN_TIMEOUT.read(config),
                Draining.DELAY.read(config), TOPICS_CREATE.read(config), TOPICS_PARTITIONS.read(config), topics,
                new HashMap<>(config.withPrefix("kafka.", true)),
                new HashMap<>(config.withPrefix("schema.registry.", false)));
    }
}
