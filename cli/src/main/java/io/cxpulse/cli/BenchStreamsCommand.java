package io.cxpulse.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cxpulse.avro.Channel;
import io.cxpulse.avro.SurveyMetric;
import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.platform.Directories;
import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.platform.Ports;
import io.cxpulse.schemas.registry.SchemaRegistryClient;
import io.cxpulse.schemas.serde.AvroSerializer;
import io.cxpulse.streams.Topics;
import io.cxpulse.streams.survey.SurveyObserver;
import io.cxpulse.streams.survey.SurveySettings;
import io.cxpulse.streams.survey.SurveyTopology;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Measures, in one run on one local broker: the survey topology's throughput against a pass-through Streams app
 * (same topic, same guarantee, one thread each), and freshness: from an event's 202 at ingest to its effect in
 * {@code /v1/nps}, with ingest and metrics-streams as separate processes on their default settings.
 */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = "Benchmark the survey topology against a pass-through Streams app, and measure freshness.")
final class BenchStreamsCommand implements Callable<Integer> {
    private static final String INPUT = "bench.survey-responses";
    private static final String[] SEGMENTS = {"smb", "mid-market", "enterprise", "consumer", "public-sector"};
    private static final String[] TOUCHPOINTS = {"checkout.payment", "onboarding.kyc", "support.chat",
            "billing.invoice", "account.settings", "search.results"};

    @Option(names = "--events", defaultValue = "1000000", description = "Events in the throughput runs "
            + "(default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--rounds", defaultValue = "2", description = "Rounds of pass-through then survey "
            + "(default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--commit-interval", defaultValue = "100", description = "commit.interval.ms of both apps in "
            + "the throughput runs (default: ${DEFAULT-VALUE}, Kafka Streams' default under exactly_once_v2).")
    long commitInterval;

    @Option(names = "--threads", defaultValue = "1", description = "num.stream.threads of both apps in the "
            + "throughput runs (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--probes", defaultValue = "200", description = "Freshness probes; 0 skips the freshness run "
            + "(default: ${DEFAULT-VALUE}).")
    int probes;

    @Option(names = "--load", defaultValue = "1000", description = "Background events/s during the freshness run "
            + "(default: ${DEFAULT-VALUE}).")
    int load;

    @Mixin
    ServiceJars jars;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("cxpulse-bench-streams");
        System.out.println("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + Runtime.version());
        try (LocalPlatform platform = LocalPlatform.start(0, 0, dir.resolve("data"))) {
            platform.createTopic(INPUT, 6, Map.of());
            fill(platform);
            run(platform, dir, "bench-warm-up-pass-through", false);
            run(platform, dir, "bench-warm-up-survey", true);
            System.out.println("Warmed up: both apps ran over the whole input once (not reported)");
            List<double[]> measured = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                double passThrough = run(platform, dir, "bench-pass-through-" + round, false);
                double survey = run(platform, dir, "bench-survey-" + round, true);
                measured.add(new double[] {passThrough, survey, survey / passThrough});
                System.out.printf("Round %d: pass-through %,.0f events/s; survey topology %,.0f events/s (%.2f)%n",
                        round, passThrough, survey, survey / passThrough);
            }
            Histogram freshness = probes > 0 ? freshness(platform, dir) : new Histogram(3);
            double[] best = measured.stream().max((a, b) -> Double.compare(a[2], b[2])).orElseThrow();
            double[] last = measured.get(measured.size() - 1);
            System.out.println();
            System.out.println("| figure | measured | ratio | target |");
            System.out.println("|---|---|---|---|");
            System.out.printf("| pass-through Streams app, exactly_once_v2, %d thread(s) (the limit) | %,.0f events/s "
                    + "| 1.00 | |%n", threads, last[0]);
            System.out.printf("| survey topology, 5 dimensions, exactly_once_v2, %d thread(s) | %,.0f events/s | %.2f "
                    + "(rounds: %s) | >= 0.50: %s |%n", threads, last[1], last[2], measured.stream()
                    .map(m -> String.format("%.2f", m[2])).collect(Collectors.joining(", ")),
                    last[2] >= 0.5 ? "met" : "NOT met");
            double p99 = freshness.getValueAtPercentile(99) / 1e6;
            System.out.printf("| freshness, 202 at ingest to /v1/nps, %d probes at %d events/s | p50 %.0f ms, "
                    + "p99 %.0f ms, max %.0f ms | | p99 <= 2 s: %s |%n", freshness.getTotalCount(), load,
                    freshness.getValueAtPercentile(50) / 1e6, p99, freshness.getMaxValue() / 1e6,
                    p99 <= 2_000 ? "met" : "NOT met");
            System.out.printf("(the last round is reported; the best round's ratio was %.2f)%n", best[2]);
        } finally {
            Directories.deleteRecursively(dir);
        }
        return 0;
    }

    /** Writes the input: survey responses spread over the 50 minutes before now, mostly in time order. */
    private void fill(LocalPlatform platform) {
        SchemaRegistryClient registry = SchemaRegistryClient.forUrl(platform.schemaRegistryUrl());
        AvroSerializer<SurveyResponse> values = new AvroSerializer<>(registry,
                Map.of("schema.registry.url", platform.schemaRegistryUrl()), false);
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        Instant start = Instant.now().minus(Duration.ofMinutes(50)).truncatedTo(ChronoUnit.MILLIS);
        long spread = Duration.ofMinutes(50).toMillis();
        try (KafkaProducer<String, SurveyResponse> producer = new KafkaProducer<>(config, new StringSerializer(),
                values)) {
            for (int i = 0; i < events; i++) {
                SurveyResponse response = response(i, start.plusMillis(spread * i / events));
                producer.send(new ProducerRecord<>(INPUT, response.getCustomerId(), response));
            }
            producer.flush();
        }
        System.out.printf("Input: %,d Avro survey responses on %s (6 partitions)%n", events, INPUT);
    }

    private static SurveyResponse response(int i, Instant occurredAt) {
        SurveyMetric metric = i % 5 == 3 ? SurveyMetric.CSAT : i % 5 == 4 ? SurveyMetric.CES : SurveyMetric.NPS;
        int score = switch (metric) {
            case CSAT -> 1 + (i * 7) % 5;
            case CES -> 1 + (i * 3) % 7;
            default -> (i * 7) % 11;
        };
        Channel[] channels = Channel.values();
        return SurveyResponse.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(occurredAt)
                .setReceivedAt(occurredAt.plusSeconds(1)).setSource("bench").setCustomerId("cust-" + (i % 20_000))
                .setSegment(SEGMENTS[i % SEGMENTS.length]).setChannel(channels[i % (channels.length - 1)])
                .setSurveyId("s").setMetric(metric).setScore(score).setTouchpoint(TOUCHPOINTS[i % TOUCHPOINTS.length])
                .build();
    }

    /**
     * Runs one app over the whole input: events/s from the moment it is RUNNING (its group joined, its tasks
     * assigned) until it has committed past all of it.
     */
    private double run(LocalPlatform platform, Path dir, String applicationId, boolean survey) throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        for (String output : survey ? List.of(".aggregates", ".alerts", ".dead-letter") : List.of(".out")) {
            platform.createTopic(applicationId + output, 6, Map.of());
        }
        if (survey) {
            SchemaRegistryClient registry = SchemaRegistryClient.forUrl(platform.schemaRegistryUrl());
            Map<String, String> names = Map.of("survey-responses", INPUT, "survey-aggregates",
                    applicationId + ".aggregates", "alerts", applicationId + ".alerts", "dead-letter",
                    applicationId + ".dead-letter");
            SurveyTopology.build(builder, Topics.create(registry, Map.of("schema.registry.url",
                    platform.schemaRegistryUrl()), names), SurveySettings.defaults(), SurveyObserver.NONE);
        } else {
            builder.stream(INPUT, Consumed.with(Serdes.String(), Serdes.ByteArray()))
                    .to(applicationId + ".out", Produced.with(Serdes.String(), Serdes.ByteArray()));
        }
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        properties.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval);
        properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", platform.bootstrapServers()));
                KafkaStreams streams = new KafkaStreams(builder.build(), properties)) {
            java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING) {
                    running.countDown();
                }
            });
            streams.start();
            if (!running.await(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException(applicationId + " did not start within 2 minutes");
            }
            long start = System.nanoTime();
            String repartition = applicationId + "-survey-by-dimension-repartition";
            while (!caughtUp(admin, applicationId, survey ? List.of(INPUT, repartition) : List.of(INPUT))) {
                if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(3)) {
                    throw new IllegalStateException(applicationId + " did not finish within 3 minutes");
                }
                Thread.sleep(50);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            streams.close(Duration.ofSeconds(30));
            return events / seconds;
        }
    }

    /**
     * Whether the app's committed offsets have reached the end of every partition of {@code topics} (a
     * transaction marker past the last record aside).
     */
    private static boolean caughtUp(Admin admin, String group, List<String> topics) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> wanted = new HashMap<>();
        for (String topic : topics) {
            if (!admin.listTopics().names().get().contains(topic)) {
                return false;
            }
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(p -> wanted.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        }
        var ends = admin.listOffsets(wanted).all().get();
        for (var end : ends.entrySet()) {
            OffsetAndMetadata offset = committed.get(end.getKey());
            long position = offset == null ? 0 : offset.offset();
            if (position < end.getValue().offset() - 1 || (end.getKey().topic().equals(INPUT)
                    && position < end.getValue().offset())) {
                return false;
            }
        }
        return true;
    }

    /** Freshness under load: probes of one event each, timed from the 202 to their count in /v1/nps. */
    private Histogram freshness(LocalPlatform platform, Path dir) throws Exception {
        int ingestPort = Ports.free();
        int streamsPort = Ports.free();
        String ingestUrl = "http://127.0.0.1:" + ingestPort;
        String streamsUrl = "http://127.0.0.1:" + streamsPort;
        Map<String, String> common = Map.of("CXPULSE_KAFKA_BOOTSTRAP_SERVERS", platform.bootstrapServers(),
                "CXPULSE_SCHEMA_REGISTRY_URL", platform.schemaRegistryUrl());
        Map<String, String> ingestEnv = new HashMap<>(common);
        ingestEnv.put("CXPULSE_HTTP_PORT", Integer.toString(ingestPort));
        Map<String, String> streamsEnv = new HashMap<>(common);
        streamsEnv.put("CXPULSE_HTTP_PORT", Integer.toString(streamsPort));
        streamsEnv.put("CXPULSE_STATE_DIR", dir.resolve("freshness-state").toString());
        ChildProcess ingest = ChildProcess.startJar("ingest-service", jars.ingestJar, UpCommand.INGEST_JVM, List.of(),
                ingestEnv, dir.resolve("ingest-service.log"));
        ChildProcess streams = ChildProcess.startJar("metrics-streams", jars.streamsJar, UpCommand.STREAMS_JVM,
                List.of(),
                streamsEnv, dir.resolve("metrics-streams.log"));
        AtomicBoolean loading = new AtomicBoolean(true);
        Thread background = new Thread(() -> backgroundLoad(ingestUrl, loading), "bench-load");
        try {
            ingest.awaitReady(() -> Http.ok(ingestUrl + "/health/ready"), Duration.ofSeconds(120));
            streams.awaitReady(() -> Http.ok(streamsUrl + "/health/ready"), Duration.ofSeconds(120));
            background.start();
            Thread.sleep(5_000);
            Histogram histogram = new Histogram(TimeUnit.MINUTES.toNanos(2), 3);
            String run = UUID.randomUUID().toString().substring(0, 8);
            for (int i = 0; i < probes; i++) {
                String segment = "probe-" + run + "-" + i;
                ArrayNode body = TrafficModel.JSON.createArrayNode();
                body.add(event(segment, Instant.now()));
                if (post(ingestUrl, body) != 202) {
                    continue;
                }
                long accepted = System.nanoTime();
                String query = streamsUrl + "/v1/nps?window=1h&segment=" + segment;
                while (!Http.get(query).contains("\"n\":1,")) {
                    if (System.nanoTime() - accepted > TimeUnit.MINUTES.toNanos(1)) {
                        throw new IllegalStateException("probe " + segment + " not visible after a minute");
                    }
                    Thread.sleep(5);
                }
                histogram.recordValue(System.nanoTime() - accepted);
                Thread.sleep(100);
            }
            return histogram;
        } finally {
            loading.set(false);
            background.join(10_000);
            streams.stop(Duration.ofSeconds(30));
            ingest.stop(Duration.ofSeconds(30));
        }
    }

    private void backgroundLoad(String ingestUrl, AtomicBoolean loading) {
        int batch = 100;
        long interval = TimeUnit.SECONDS.toNanos(1) * batch / Math.max(load, 1);
        long next = System.nanoTime();
        int i = 0;
        while (loading.get()) {
            ArrayNode body = TrafficModel.JSON.createArrayNode();
            for (int j = 0; j < batch; j++, i++) {
                body.add(event(SEGMENTS[i % SEGMENTS.length], Instant.now()));
            }
            post(ingestUrl, body);
            next += interval;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static ObjectNode event(String segment, Instant at) {
        ObjectNode event = TrafficModel.JSON.createObjectNode();
        event.put("occurredAt", at.truncatedTo(ChronoUnit.MILLIS).toString());
        event.put("customerId", "cust-" + Math.floorMod(segment.hashCode(), 1_000));
        event.put("segment", segment);
        event.put("channel", "WEB");
        event.put("surveyId", "relationship-nps");
        event.put("metric", "NPS");
        event.put("score", Math.floorMod(segment.hashCode(), 11));
        return event;
    }

    private static int post(String url, ArrayNode body) {
        return Http.postJson(url + "/v1/survey-responses", "dev-token",
                body.toString().getBytes(StandardCharsets.UTF_8));
    }
}
