package io.cxpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.cxpulse.common.Draining;
import io.cxpulse.ingest.config.IngestConfig;
import io.cxpulse.streams.MetricsStreamsConfig;

import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml and its three-broker overlay, read as the user's Docker would read them (no Docker engine runs
 * here): they pass dclint, mount and build only what exists, keep every piece of data in a volume, let
 * metrics-streams scale, and give every service a restart policy, a memory limit that fits what it is told to use,
 * and longer to stop than it takes to drain.
 */
class ComposeFileTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern XMX = Pattern.compile("-Xmx(\\d+)([mg])");

    private static JsonNode compose(String file) throws IOException {
        return YAML.readTree(ROOT.resolve(file).toFile());
    }

    private static JsonNode service(JsonNode compose, String name) {
        JsonNode service = compose.path("services").path(name);
        assertThat(service.isMissingNode()).as("service %s", name).isFalse();
        return service;
    }

    @Test
    void shouldPassTheComposeLinter() throws Exception {
        OpsConfigTest.requireTool("npx");
        for (String file : List.of("docker-compose.yml", "docker-compose.cluster.yml")) {
            String output = OpsConfigTest.run(ROOT, "npx", "--yes", "dclint@3.1.0", file);
            assertThat(output).as(file).doesNotContain(" error ");
        }
    }

    /** Every file docker-compose.yml mounts or builds from exists, and every service has an image or a build. */
    @Test
    void shouldMountAndBuildOnlyWhatExists() throws IOException {
        JsonNode compose = compose("docker-compose.yml");
        Set<String> services = new TreeSet<>();
        compose.path("services").properties().forEach(entry -> {
            String name = entry.getKey();
            JsonNode service = entry.getValue();
            services.add(name);
            assertThat(service.has("image") || service.has("build")).as(name).isTrue();
            service.path("volumes").forEach(volume -> {
                String source = volume.asText().split(":")[0];
                if (source.startsWith(".")) {
                    assertThat(ROOT.resolve(source).normalize()).as(name + " mounts " + source).exists();
                }
            });
            if (service.has("build")) {
                assertThat(ROOT.resolve(service.path("build").path("context").asText())
                        .resolve(service.path("build").path("dockerfile").asText()).normalize())
                        .as(name + "'s Dockerfile").exists();
            }
        });
        assertThat(services).contains("kafka", "schema-registry", "ingest-service", "metrics-streams", "prometheus",
                "alertmanager", "alert-sink", "grafana", "simulator");
        assertThat(service(compose, "prometheus").path("command").toString())
                .contains("/etc/prometheus/prometheus-compose.yml");
    }

    /** Kafka writes into its volume, with one cluster id; Prometheus's and the state's data are volumes too. */
    @Test
    void shouldKeepEveryPieceOfDataInANamedVolume() throws IOException {
        JsonNode compose = compose("docker-compose.yml");
        JsonNode kafka = service(compose, "kafka");
        String logDirs = kafka.path("environment").path("KAFKA_LOG_DIRS").asText();
        assertThat(namedVolumeTargets(compose, kafka)).as("kafka's log.dirs is a volume").contains(logDirs);
        assertThat(kafka.path("environment").path("CLUSTER_ID").asText()).isNotBlank();
        assertThat(namedVolumeTargets(compose, service(compose, "prometheus"))).contains("/prometheus");
        JsonNode streams = service(compose, "metrics-streams");
        String slots = streams.path("environment").path("CXPULSE_INSTANCE_SLOT_DIR").asText();
        assertThat(namedVolumeTargets(compose, streams)).as("metrics-streams' slots are in a volume")
                .anyMatch(target -> slots.startsWith(target + "/"));
    }

    /**
     * {@code --scale metrics-streams=N} works: no fixed static membership id or state directory (each replica
     * claims a slot), a host port range rather than one port, and Prometheus scrapes every replica.
     */
    @Test
    void shouldLetMetricsStreamsScale() throws IOException {
        JsonNode streams = service(compose("docker-compose.yml"), "metrics-streams");
        JsonNode environment = streams.path("environment");
        assertThat(environment.has("CXPULSE_KAFKA_GROUP_INSTANCE_ID")).as("one id would fence the replicas")
                .isFalse();
        assertThat(environment.has("CXPULSE_STATE_DIR")).isFalse();
        assertThat(environment.path("CXPULSE_INSTANCE_SLOT_DIR").asText()).isNotBlank();
        assertThat(streams.path("ports").get(0).asText()).as("a range of host ports")
                .matches("127\\.0\\.0\\.1:8090-\\d+:8090");
        assertThat(streams.has("container_name")).isFalse();
        String dockerfile = Files.readString(ROOT.resolve("metrics-streams/Dockerfile"));
        assertThat(dockerfile).as("binds every interface, so advertises its own address").contains(
                "CXPULSE_HTTP_HOST=0.0.0.0");
        JsonNode scrape = YAML.readTree(ROOT.resolve("ops/prometheus/prometheus-compose.yml").toFile())
                .path("scrape_configs");
        for (JsonNode job : scrape) {
            if (job.path("job_name").asText().equals("cxpulse-metrics-streams")) {
                assertThat(job.path("dns_sd_configs").get(0).path("names").get(0).asText())
                        .as("one target per replica's address").isEqualTo("metrics-streams");
                return;
            }
        }
        throw new AssertionError("no cxpulse-metrics-streams job in prometheus-compose.yml");
    }

    /**
     * Every long-running service restarts unless stopped and has a memory limit; the limits of the JVM services
     * cover the heap they are given (and RocksDB's share for metrics-streams); CX Pulse's services get longer to
     * stop than draining and closing take.
     */
    @Test
    void shouldGiveEveryServiceARestartPolicyAMemoryLimitAndTimeToStop() throws IOException {
        JsonNode compose = compose("docker-compose.yml");
        compose.path("services").properties().forEach(entry -> {
            JsonNode service = entry.getValue();
            assertThat(megabytes(service.path("deploy").path("resources").path("limits").path("memory").asText()))
                    .as("%s's memory limit", entry.getKey()).isPositive();
            if (!service.has("profiles")) {
                assertThat(service.path("restart").asText()).as(entry.getKey()).isEqualTo("unless-stopped");
            }
        });
        long rocksDb = Long.parseLong(MetricsStreamsConfig.ROCKSDB_MEMORY_MB.defaultValue().orElseThrow());
        assertThat(limit(compose, "metrics-streams")).as("heap + RocksDB + 200 MiB for the JVM itself")
                .isGreaterThanOrEqualTo(heap("metrics-streams/Dockerfile") + rocksDb + 200);
        assertThat(limit(compose, "ingest-service")).isGreaterThanOrEqualTo(heap("ingest-service/Dockerfile") + 200);
        Matcher kafkaHeap = XMX.matcher(service(compose, "kafka").path("environment").path("KAFKA_HEAP_OPTS").asText());
        assertThat(kafkaHeap.find()).isTrue();
        assertThat(limit(compose, "kafka")).isGreaterThanOrEqualTo(megabytes(kafkaHeap.group(1) + kafkaHeap.group(2))
                + 300);

        Duration drain = Duration.parse(Draining.DELAY.defaultValue().orElseThrow());
        assertThat(grace(compose, "ingest-service")).as("drain + requests in flight + the producer's flush")
                .isGreaterThan(drain.plus(Duration.parse(IngestConfig.SHUTDOWN_TIMEOUT.defaultValue().orElseThrow())));
        assertThat(grace(compose, "metrics-streams")).as("drain + Kafka Streams' close (30 s)")
                .isGreaterThan(drain.plusSeconds(30));
        assertThat(grace(compose, "kafka")).isGreaterThan(Duration.ofSeconds(10));
    }

    /** The overlay makes three brokers of one cluster, each with its own volume, and every client knows them all. */
    @Test
    void shouldMakeAClusterOfThreeReplicatedBrokers() throws IOException {
        JsonNode base = compose("docker-compose.yml");
        JsonNode cluster = compose("docker-compose.cluster.yml");
        Map<String, String> volumes = new TreeMap<>();
        Set<String> nodeIds = new TreeSet<>();
        for (String broker : List.of("kafka", "kafka-2", "kafka-3")) {
            JsonNode overlay = service(cluster, broker);
            JsonNode environment = merged(service(base, "kafka").path("environment"), overlay.path("environment"));
            nodeIds.add(environment.path("KAFKA_NODE_ID").asText());
            assertThat(environment.path("KAFKA_CONTROLLER_QUORUM_VOTERS").asText())
                    .isEqualTo("1@kafka:9093,2@kafka-2:9093,3@kafka-3:9093");
            assertThat(environment.path("KAFKA_DEFAULT_REPLICATION_FACTOR").asInt()).as(broker).isEqualTo(3);
            assertThat(environment.path("KAFKA_MIN_INSYNC_REPLICAS").asInt()).as(broker).isEqualTo(2);
            assertThat(environment.path("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR").asInt()).isEqualTo(3);
            assertThat(environment.path("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR").asInt()).isEqualTo(3);
            assertThat(environment.path("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR").asInt()).isEqualTo(2);
            JsonNode mounts = overlay.has("volumes") ? overlay.path("volumes") : service(base, "kafka").path("volumes");
            volumes.put(broker, mounts.get(0).asText().split(":")[0]);
            if (!broker.equals("kafka")) {
                assertThat(environment.path("KAFKA_ADVERTISED_LISTENERS").asText())
                        .isEqualTo("PLAINTEXT://" + broker + ":9092");
                assertThat(cluster.path("volumes").has(volumes.get(broker))).as(volumes.get(broker)).isTrue();
            }
        }
        assertThat(nodeIds).containsExactly("1", "2", "3");
        assertThat(new TreeSet<>(volumes.values())).as("a volume for each broker").hasSize(3);
        for (String client : List.of("ingest-service", "metrics-streams")) {
            assertThat(service(cluster, client).path("environment").path("CXPULSE_KAFKA_BOOTSTRAP_SERVERS").asText())
                    .isEqualTo("kafka:9092,kafka-2:9092,kafka-3:9092");
        }
        JsonNode registry = service(cluster, "schema-registry").path("environment");
        assertThat(registry.path("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS").asText())
                .isEqualTo("kafka:9092,kafka-2:9092,kafka-3:9092");
        assertThat(registry.path("SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR").asInt()).isEqualTo(3);
    }

    private static JsonNode merged(JsonNode base, JsonNode overlay) {
        com.fasterxml.jackson.databind.node.ObjectNode merged = base.deepCopy();
        overlay.properties().forEach(entry -> merged.set(entry.getKey(), entry.getValue()));
        return merged;
    }

    /** Where the service mounts named volumes (declared under the top-level {@code volumes}). */
    private static List<String> namedVolumeTargets(JsonNode compose, JsonNode service) {
        List<String> targets = new ArrayList<>();
        service.path("volumes").forEach(volume -> {
            String[] parts = volume.asText().split(":");
            if (compose.path("volumes").has(parts[0])) {
                targets.add(parts[1]);
            }
        });
        return targets;
    }

    private static long limit(JsonNode compose, String service) {
        return megabytes(service(compose, service).path("deploy").path("resources").path("limits").path("memory")
                .asText());
    }

    private static long heap(String dockerfile) throws IOException {
        Matcher matcher = XMX.matcher(Files.readString(ROOT.resolve(dockerfile)));
        assertThat(matcher.find()).as("-Xmx in %s", dockerfile).isTrue();
        return megabytes(matcher.group(1) + matcher.group(2));
    }

    private static long megabytes(String text) {
        Matcher matcher = Pattern.compile("(\\d+)([mg])").matcher(text.toLowerCase());
        if (!matcher.matches()) {
            return -1;
        }
        return Long.parseLong(matcher.group(1)) * (matcher.group(2).equals("g") ? 1024 : 1);
    }

    private static Duration grace(JsonNode compose, String service) {
        String text = service(compose, service).path("stop_grace_period").asText();
        assertThat(text).as("%s's stop_grace_period", service).matches("\\d+s");
        return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
    }
}
