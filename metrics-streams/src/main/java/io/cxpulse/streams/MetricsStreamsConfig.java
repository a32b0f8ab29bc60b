package io.cxpulse.streams;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Map;

import io.cxpulse.common.Draining;
import io.cxpulse.common.LayeredConfig;
import io.cxpulse.common.Setting;
import io.cxpulse.common.SettingSet;
import io.cxpulse.schemas.contract.CxTopic;
import io.cxpulse.streams.friction.FrictionSettings;
import io.cxpulse.streams.intake.Lateness;
import io.cxpulse.streams.metrics.LabelSet;
import io.cxpulse.streams.survey.SurveySettings;
import io.cxpulse.streams.ticket.TicketSettings;

/**
 * The settings of metrics-streams, declared once ({@link #SETTINGS}: these, and the survey, ticket and friction
 * settings each feature declares) and parsed once from a {@link LayeredConfig}. docs/configuration.md lists them.
 */
public record MetricsStreamsConfig(String host, int port, String applicationId, String stateDir,
        String processingGuarantee, int streamThreads, SurveySettings survey, TicketSettings tickets,
        FrictionSettings friction, Labels labels, Instance instance, boolean createTopics,
        int topicPartitions, Map<String, String> topics, Map<String, Object> kafka, Map<String, Object> registry) {

    public static final Setting<String> HOST = Setting.text("http.host", "127.0.0.1",
            "The address the query API, `/metrics` and health bind to; other instances forward queries to it "
                    + "(`application.server`).");
    public static final Setting<Integer> PORT = Setting.integer("http.port", 8090, 0, 65_535,
            "The HTTP port (0: any free port).");
    public static final Setting<Optional<String>> ADVERTISED_HOST = Setting.optionalText("http.advertised.host",
            "The host other instances reach this one at (`application.server`). Unset: `http.host`, or this "
                    + "machine's address when `http.host` is a wildcard such as 0.0.0.0 (a container's own IP).");
    public static final Setting<Duration> REBALANCE_GRACE = Setting.duration("health.rebalance.grace", "PT1M",
            "How long a rebalance may last before `/health/ready` fails; the instance answers queries through it.");
    public static final Setting<Integer> MAX_THREAD_REPLACEMENTS = Setting.integer("health.thread.replacements.max",
            5, 0, 1_000, "Stream threads that may die (and be replaced) within `health.thread.replacements.window`; "
                    + "one more and the instance stops replacing them, fails `/health/live` and exits.");
    public static final Setting<Duration> THREAD_REPLACEMENT_WINDOW = Setting.positiveDuration(
            "health.thread.replacements.window", "PT10M", "The window of `health.thread.replacements.max`.");
    public static final Setting<Integer> ROCKSDB_MEMORY_MB = Setting.integer("rocksdb.memory.mb", 256, 0, 1_000_000,
            "Off-heap memory, in MiB, that all RocksDB stores of this instance share: one block cache, with the "
                    + "memtables charged to it (0: RocksDB's own defaults, per store and task, unbounded in sum). "
                    + "Heap (`-Xmx`) plus this plus about 200 MiB is what the process needs.");
    public static final Setting<Optional<String>> SLOT_DIR = Setting.optionalText("instance.slot.dir",
            "A directory shared by several instances (one volume for every replica of a compose service): each "
                    + "claims the first free numbered slot in it and takes from it its state directory "
                    + "(`<dir>/slot-N`, instead of `state.dir`) and, unless `kafka.group.instance.id` is set, its "
                    + "static membership id (`<application.id>-slot-N`), the same after a restart.");
    public static final Setting<String> APPLICATION_ID = Setting.text("application.id", "cxpulse-metrics-streams",
            "Kafka Streams' application id: the consumer group, and the prefix of internal topics. Changing it "
                    + "starts from scratch.");
    public static final Setting<String> STATE_DIR = Setting.text("state.dir", ".cxpulse/state/metrics-streams",
            "Where RocksDB state is kept.");
    public static final Setting<String> PROCESSING_GUARANTEE = Setting.oneOf("processing.guarantee",
            "exactly_once_v2", List.of("exactly_once_v2", "at_least_once"),
            "Kafka Streams' processing guarantee (see docs/operations.md).");
    public static final Setting<Integer> STREAM_THREADS = Setting.integer("num.stream.threads", 1, 1, 64,
            "Stream threads in this instance.");
    public static final Setting<Integer> TOP_N = Setting.integer("metrics.top.n", 20, 1, 1_000,
            "Where no list is set below: how many segments, touchpoints and queues keep their own Prometheus label "
                    + "(the first seen in counters, the busiest in gauges; not the same on every instance).");
    public static final Setting<Optional<String>> SEGMENTS = Setting.optionalText("metrics.segments",
            "The segments that keep their own Prometheus label, comma-separated; the rest are `other`. The same "
                    + "on every instance and after restarts: set it in production.");
    public static final Setting<Optional<String>> TOUCHPOINTS = Setting.optionalText("metrics.touchpoints",
            "The touchpoints that keep their own Prometheus label, comma-separated; the rest are `other`.");
    public static final Setting<Optional<String>> QUEUES = Setting.optionalText("metrics.queues",
            "The support queues that keep their own Prometheus label, comma-separated; the rest are `other`.");
    public static final Setting<Boolean> TOPICS_CREATE = Setting.bool("topics.create", true,
            "Create the topics it reads and writes at start when they are missing.");
    public static final Setting<Integer> TOPICS_PARTITIONS = Setting.integer("topics.partitions", 6, 1, 10_000,
            "Partitions of the topics created at start.");
    /** The name of each topic. */
    public static final Map<CxTopic, Setting<String>> TOPICS = topicSettings();

    /** Every setting of metrics-streams. */
    public static final SettingSet SETTINGS = new SettingSet("metrics-streams", SettingSet.concat(
            List.of(HOST, PORT, ADVERTISED_HOST, Draining.DELAY, REBALANCE_GRACE, MAX_THREAD_REPLACEMENTS,
                    THREAD_REPLACEMENT_WINDOW, APPLICATION_ID, STATE_DIR, SLOT_DIR, ROCKSDB_MEMORY_MB,
                    PROCESSING_GUARANTEE, STREAM_THREADS, TOP_N, SEGMENTS, TOUCHPOINTS, QUEUES, TOPICS_CREATE,
                    TOPICS_PARTITIONS),
            List.copyOf(TOPICS.values()), Lateness.SETTINGS, SurveySettings.SETTINGS, TicketSettings.SETTINGS,
            FrictionSettings.SETTINGS),
            List.of(new SettingSet.Prefix("kafka.", Map.of("kafka.bootstrap.servers", "127.0.0.1:9092"),
                            "Kafka Streams and client settings, passed through without the prefix "
                                    + "(`kafka.commit.interval.ms`, `kafka.group.instance.id`, "
                                    + "`kafka.security.protocol`, ...)."),
                    new SettingSet.Prefix("schema.registry.", Map.of("schema.registry.url", "http://127.0.0.1:8081"),
                            "The schema registry client's settings, with Confluent's names.")));

    private static Map<CxTopic, Setting<String>> topicSettings() {
        Map<CxTopic, Setting<String>> topics = new EnumMap<>(CxTopic.class);
        for (CxTopic topic : CxTopic.values()) {
            topics.put(topic, Setting.text(topic.settingKey(), topic.defaultName(), "The name of the topic of "
                    + topic.valueType().getSimpleName() + " records."));
        }
        return topics;
    }

    /**
     * Which segments, touchpoints and queues keep their own Prometheus label: each configured list, or where a list
     * is not set, {@code topN} of them ({@link LabelSet}).
     */
    public record Labels(int topN, Optional<List<String>> segments, Optional<List<String>> touchpoints,
            Optional<List<String>> queues) {
        public LabelSet segmentSet() {
            return set(segments);
        }

        public LabelSet touchpointSet() {
            return set(touchpoints);
        }

        public LabelSet queueSet() {
            return set(queues);
        }

        private LabelSet set(Optional<List<String>> values) {
            return values.map(LabelSet::configured).orElseGet(() -> LabelSet.firstSeen(topN));
        }
    }

    private static Optional<List<String>> list(Optional<String> text) {
        return text.map(value -> Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty())
                .toList()).filter(values -> !values.isEmpty());
    }

    /** The defaults, the bottom layer. */
    /**
     * How this instance runs among others and stops: see the settings above.
     */
    public record Instance(Optional<String> advertisedHost, Duration drainDelay, Duration rebalanceGrace,
            int maxThreadReplacements, Duration threadReplacementWindow, Optional<String> slotDir,
            int rocksDbMemoryMb) {
    }

    public static Map<String, String> defaults() {
        return SETTINGS.defaults();
    }

    /** Keys set in the configuration that no setting reads: most likely typos. */
    public static List<String> unknownKeys(LayeredConfig config) {
        return SETTINGS.unknownKeys(config);
    }

    /** Parses and validates every setting; a bad value fails with a message naming its key. */
    public static MetricsStreamsConfig from(LayeredConfig config) {
        Map<String, String> topics = new LinkedHashMap<>();
        TOPICS.forEach((topic, setting) -> topics.put(topic.id(), setting.read(config)));
        return new MetricsStreamsConfig(HOST.read(config), PORT.read(config), APPLICATION_ID.read(config),
                STATE_DIR.read(config), PROCESSING_GUARANTEE.read(config), STREAM_THREADS.read(config),
                SurveySettings.from(config), TicketSettings.from(config), FrictionSettings.from(config),
                new Labels(TOP_N.read(config), list(SEGMENTS.read(config)), list(TOUCHPOINTS.read(config)),
                        list(QUEUES.read(config))),
                new Instance(ADVERTISED_HOST.read(config), Draining.DELAY.read(config), REBALANCE_GRACE.read(config),
                        MAX_THREAD_REPLACEMENTS.read(config), THREAD_REPLACEMENT_WINDOW.read(config),
                        SLOT_DIR.read(config), ROCKSDB_MEMORY_MB.read(config)),
                TOPICS_CREATE.read(config), TOPICS_PARTITIONS.read(config),
                Map.copyOf(topics),
                new HashMap<>(config.withPrefix("kafka.", true)),
                new HashMap<>(config.withPrefix("schema.registry.", false)));
    }
}
