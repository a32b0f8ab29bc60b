package io.cxpulse.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cxpulse.avro.Channel;
import io.cxpulse.avro.SurveyMetric;
import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.platform.Directories;
import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.platform.Ports;
import io.cxpulse.platform.process.ChildProcess;
import io.cxpulse.schemas.contract.CxTopic;
import io.cxpulse.schemas.registry.SchemaRegistryClient;
import io.cxpulse.schemas.serde.AvroSerializer;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures, in one run on one local broker: Kafka's own producer with Avro survey responses (the limit), the
 * ingest service over HTTP with batches of 100 and 1,000 from concurrent clients, request latency at half of
 * the batch-100 maximum, and the service's heap and RSS. Prints each figure and its ratio to the limit.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Benchmark the ingest service against Kafka's own producer on the same local broker.")
final class BenchIngestCommand implements Callable<Integer> {
    private static final String TOKEN = "bench-token";
    private static final String TOPIC = CxTopic.SURVEY_RESPONSES.defaultName();

    @Option(names = "--ingest-jar", required = true, defaultValue = "${env:CXPULSE_INGEST_JAR}",
            description = "The ingest-service runnable jar.")
    Path ingestJar;

    @Option(names = "--rounds", defaultValue = "3", description = "Measured rounds; medians are reported "
            + "(default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--phase", defaultValue = "10s", converter = DurationConverter.class,
            description = "Length of each measured phase (default: ${DEFAULT-VALUE}).")
    Duration phase;

    @Option(names = "--warmup", defaultValue = "15s", converter = DurationConverter.class,
            description = "Warm-up of each kind of load before the measured rounds, long enough for the JIT "
                    + "compilers to settle (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--clients", defaultValue = "8",
            description = "Concurrent HTTP clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--heap", defaultValue = "256m", description = "The service's -Xmx (default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--jvm-option", description = "An extra JVM option for the service (repeatable), e.g. "
            + "-XX:StartFlightRecording=filename=ingest.jfr")
    List<String> jvmOptions = new ArrayList<>();

    private final MemorySampler memory = new MemorySampler();

    @Override
    public Integer call() throws Exception {
        if (rounds < 1 || clients < 1) {
            System.err.println("--rounds and --clients must be at least 1");
            return 2;
        }
        Path dir = Files.createTempDirectory("cxpulse-bench");
        System.out.println("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, "
                + cpuModel() + ", " + (totalMemoryKb() / 1024 / 1024) + " GiB RAM, Java "
                + Runtime.version());
        try (LocalPlatform platform = LocalPlatform.start(0, 0, dir.resolve("data"))) {
            platform.createTopic(TOPIC, 6, Map.of());
            platform.createTopic("bench.raw.v1", 6, Map.of());
            RawProducer raw = new RawProducer(platform);
            int port = Ports.free();
            String url = "http://127.0.0.1:" + port;
            ChildProcess ingest = ChildProcess.startJar("ingest-service", ingestJar,
                    serviceJvm(), List.of(),
                    Map.of("CXPULSE_HTTP_PORT", Integer.toString(port),
                            "CXPULSE_KAFKA_BOOTSTRAP_SERVERS", platform.bootstrapServers(),
                            "CXPULSE_SCHEMA_REGISTRY_URL", platform.schemaRegistryUrl(),
                            "CXPULSE_INGEST_TOKENS", "bench:" + TOKEN,
                            "CXPULSE_TOPICS_PARTITIONS", "6"),
                    dir.resolve("ingest-service.log"));
            try {
                ingest.awaitReady(() -> Http.ok(url + "/health/ready"), Duration.ofSeconds(120));
                ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
                sampler.scheduleAtFixedRate(() -> memory.sample(ingest.pid(), url), 0, 500, TimeUnit.MILLISECONDS);
                List<byte[]> bodies100 = bodies(100, 20);
                List<byte[]> bodies1000 = bodies(1_000, 20);
                raw.sendFor(warmup);
                runClosedLoop(url, bodies100, 100, warmup);
                runClosedLoop(url, bodies1000, 1_000, warmup);
                List<double[]> measured = new ArrayList<>();
                ProcessHandle service = ProcessHandle.of(ingest.pid()).orElseThrow();
                for (int round = 1; round <= rounds; round++) {
                    CpuUse rawCpu = CpuUse.start(service);
                    double limit = raw.sendFor(phase);
                    rawCpu = rawCpu.end(limit * phase.toMillis() / 1000.0);
                    CpuUse cpu1000 = CpuUse.start(service);
                    AtomicLong events1000 = runClosedLoop(url, bodies1000, 1_000, phase);
                    cpu1000 = cpu1000.end(events1000.get());
                    double batch1000 = rate(events1000);
                    double batch100 = rate(runClosedLoop(url, bodies100, 100, phase));
                    measured.add(new double[] {limit, batch100, batch1000, batch100 / limit, batch1000 / limit});
                    System.out.printf("Round %d: raw producer %,.0f events/s; ingest batches of 100 %,.0f (%.2f), "
                            + "of 1,000 %,.0f (%.2f)%n", round, limit, batch100, batch100 / limit, batch1000,
                            batch1000 / limit);
                    System.out.printf("  CPU per event: raw producer with the broker %.2f us; batches of 1,000: "
                            + "service %.2f us, broker with the load generator %.2f us%n", rawCpu.benchMicros(),
                            cpu1000.serviceMicros(), cpu1000.benchMicros());
                }
                raw.close();
                double[] median = new double[5];
                for (int i = 0; i < 5; i++) {
                    int column = i;
                    median[i] = measured.stream().mapToDouble(m -> m[column]).sorted().toArray()[rounds / 2];
                }
                Histogram latency = latencyAt(url, bodies100, 100, median[1] / 2);
                sampler.shutdownNow();
                report(median, latency, median[1] / 2);
            } finally {
                ingest.stop(Duration.ofSeconds(30));
            }
        } finally {
            Directories.deleteRecursively(dir);
        }
        return 0;
    }

    private List<String> serviceJvm() {
        List<String> options = new ArrayList<>(List.of("-Xmx" + heap, "-Xms" + heap, "-XX:+UseParallelGC"));
        options.addAll(jvmOptions);
        return options;
    }

    /** Kafka's own producer, with ingest's settings, sending Avro survey responses of the same size. */
    private static final class RawProducer implements AutoCloseable {
        private final KafkaProducer<String, Object> producer;
        private final List<SurveyResponse> samples = new ArrayList<>();

        RawProducer(LocalPlatform platform) {
            SchemaRegistryClient registry = SchemaRegistryClient.forUrl(platform.schemaRegistryUrl());
            AvroSerializer<Object> values = new AvroSerializer<>(registry,
                    Map.of("schema.registry.url", platform.schemaRegistryUrl()), false);
            for (int i = 0; i < 10_000; i++) {
                samples.add(avroSurvey(i));
            }
            int size = values.serialize("bench.raw.v1", samples.get(0)).length;
            Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    platform.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 5,
                    ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
            producer = new KafkaProducer<>(config, new StringSerializer(), values);
            System.out.printf("Raw producer: Avro survey responses of %d B, acks=all, idempotent, linger 5 ms, "
                    + "batch 64 KiB, lz4%n", size);
        }

        /** Sends as fast as the producer takes records for {@code length}, then flushes: acknowledged events/s. */
        double sendFor(Duration length) {
            long start = System.nanoTime();
            long end = start + length.toNanos();
            long count = 0;
            while (System.nanoTime() < end) {
                for (int i = 0; i < 1_000; i++) {
                    SurveyResponse event = samples.get((int) (count++ % samples.size()));
                    producer.send(new ProducerRecord<>("bench.raw.v1", event.getCustomerId(), event));
                }
            }
            producer.flush();
            return count / ((System.nanoTime() - start) / 1e9);
        }

        @Override
        public void close() {
            producer.close();
        }
    }

    /**
     * CPU time per event over a phase, of the service's process and of this one (the broker, the raw producer
     * and the load generator), from the operating system's accounting.
     */
    private record CpuUse(ProcessHandle service, long serviceNanos, long benchNanos, double serviceMicros,
            double benchMicros) {
        static CpuUse start(ProcessHandle service) {
            return new CpuUse(service, cpuNanos(service), cpuNanos(ProcessHandle.current()), 0, 0);
        }

        CpuUse end(double events) {
            double per = Math.max(events, 1) * 1000.0;
            return new CpuUse(service, 0, 0, (cpuNanos(service) - serviceNanos) / per,
                    (cpuNanos(ProcessHandle.current()) - benchNanos) / per);
        }

        private static long cpuNanos(ProcessHandle process) {
            return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        }
    }

    private double rate(AtomicLong events) {
        return events.get() / (phase.toMillis() / 1000.0);
    }

    /** Closed-loop load from {@code clients} threads with batches of {@code batch}: the accepted events. */
    private AtomicLong runClosedLoop(String url, List<byte[]> bodies, int batch, Duration length) throws Exception {
        AtomicLong events = new AtomicLong();
        long end = System.nanoTime() + length.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            futures.add(pool.submit(() -> {
                int i = client;
                while (System.nanoTime() < end) {
                    if (post(url, bodies.get(i++ % bodies.size())) == 202) {
                        events.addAndGet(batch);
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
        return events;
    }

    /** Open-loop load at {@code eventsPerSecond}: latency from each request's intended start. */
    private Histogram latencyAt(String url, List<byte[]> bodies, int batch, double eventsPerSecond)
            throws Exception {
        double requestsPerSecond = eventsPerSecond / batch;
        long intervalNanos = (long) (1e9 / requestsPerSecond);
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        long start = System.nanoTime() + warmup.toNanos();
        long end = start + phase.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            futures.add(pool.submit(() -> {
                long intended = System.nanoTime() + client * intervalNanos;
                int i = client;
                while (intended < end) {
                    long wait = intended - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    post(url, bodies.get(i++ % bodies.size()));
                    if (intended >= start) {
                        synchronized (histogram) {
                            histogram.recordValue(Math.min(System.nanoTime() - intended, histogram
                                    .getHighestTrackableValue()));
                        }
                    }
                    intended += intervalNanos * clients;
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
        System.out.printf("Latency at %,.0f events/s (half the batch-100 maximum, %.0f requests/s): p50 %.1f ms, "
                + "p99 %.1f ms, max %.1f ms%n", eventsPerSecond, requestsPerSecond,
                histogram.getValueAtPercentile(50) / 1e6, histogram.getValueAtPercentile(99) / 1e6,
                histogram.getMaxValue() / 1e6);
        return histogram;
    }

    /** The medians over the rounds: raw, batch 100, batch 1,000, and the two ratios. */
    private void report(double[] median, Histogram latency, double halfLoad) {
        double p99 = latency.getValueAtPercentile(99) / 1e6;
        System.out.println();
        System.out.printf("Medians of %d rounds of %d s each:%n", rounds, phase.toSeconds());
        System.out.println("| figure | measured | ratio to raw producer | target |");
        System.out.println("|---|---|---|---|");
        System.out.printf("| raw Kafka producer (limit) | %,.0f events/s | 1.00 | |%n", median[0]);
        System.out.printf("| ingest, batches of 100 | %,.0f events/s | %.2f | |%n", median[1], median[3]);
        System.out.printf("| ingest, batches of 1,000 | %,.0f events/s | %.2f | >= 0.50: %s |%n", median[2],
                median[4], Math.max(median[3], median[4]) >= 0.5 ? "met" : "NOT met");
        System.out.printf("| p50 / p99 latency at %,.0f events/s | %.1f / %.1f ms | | p99 <= 50 ms: %s |%n",
                halfLoad, latency.getValueAtPercentile(50) / 1e6, p99, p99 <= 50 ? "met" : "NOT met");
        System.out.printf("| service heap used, peak (-Xmx%s) | %.0f MiB | | <= 256 MiB: %s |%n", heap,
                memory.peakHeapBytes() / 1048576.0, memory.peakHeapBytes() <= 256L * 1048576 ? "met" : "NOT met");
        System.out.printf("| service RSS, peak | %.0f MiB | | |%n", memory.peakRssKb() / 1024.0);
        System.out.println("(ratios are medians of each round's own ratio)");
    }

    private static int post(String url, byte[] body) {
        return Http.postJson(url + "/v1/survey-responses", TOKEN, body);
    }

    /** Request bodies, encoded once so the load generator spends its CPU on HTTP only. */
    private static List<byte[]> bodies(int batch, int count) {
        List<byte[]> bodies = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            var array = TrafficModel.JSON.createArrayNode();
            for (int i = 0; i < batch; i++) {
                array.add(jsonSurvey(b * batch + i));
            }
            bodies.add(array.toString().getBytes(StandardCharsets.UTF_8));
        }
        return bodies;
    }

    private static ObjectNode jsonSurvey(int i) {
        ObjectNode event = TrafficModel.JSON.createObjectNode();
        event.put("eventId", UUID.randomUUID().toString());
        event.put("occurredAt", Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS)
                .toString());
        event.put("customerId", "cust-" + i);
        event.put("segment", TrafficModel.SEGMENTS[i % TrafficModel.SEGMENTS.length]);
        event.put("channel", TrafficModel.CHANNELS[i % TrafficModel.CHANNELS.length]);
        event.put("surveyId", "relationship-nps");
        event.put("metric", "NPS");
        event.put("score", i % 11);
        event.put("touchpoint", "checkout.payment");
        return event;
    }

    private static SurveyResponse avroSurvey(int i) {
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        return SurveyResponse.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(now.minusSeconds(60))
                .setReceivedAt(now).setSource("bench").setCustomerId("cust-" + i)
                .setSegment(TrafficModel.SEGMENTS[i % TrafficModel.SEGMENTS.length])
                .setChannel(Channel.valueOf(TrafficModel.CHANNELS[i % TrafficModel.CHANNELS.length]))
                .setSurveyId("relationship-nps").setMetric(SurveyMetric.NPS).setScore(i % 11)
                .setTouchpoint("checkout.payment").build();
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static long totalMemoryKb() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D", ""))).orElse(0L);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Peak RSS (from /proc) and peak heap in use (from the service's own /metrics). */
    static final class MemorySampler {
        private static final Pattern HEAP = Pattern.compile(
                "(?m)^jvm_memory_used_bytes\\{area=\"heap\"[^}]*\\} (\\S+)$");
        private long peakRssKb;
        private long peakHeapBytes;

        synchronized void sample(long pid, String url) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        peakRssKb = Math.max(peakRssKb, Long.parseLong(line.replaceAll("\\D", "")));
                    }
                }
                Matcher matcher = HEAP.matcher(Http.get(url + "/metrics"));
                long heap = 0;
                while (matcher.find()) {
                    heap += (long) Double.parseDouble(matcher.group(1));
                }
                peakHeapBytes = Math.max(peakHeapBytes, heap);
            } catch (IOException | RuntimeException e) {
                // the process is starting or stopping: skip this sample
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        synchronized long peakRssKb() {
            return peakRssKb;
        }

        synchronized long peakHeapBytes() {
            return peakHeapBytes;
        }
    }
}
