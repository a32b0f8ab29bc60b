package io.cxpulse.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.cxpulse.platform.process.ChildProcess;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs CX Pulse on this machine, each service as its own process, as docker-compose would: the local platform
 * (Kafka and schema registry), then the ingest service, then metrics-streams. Ctrl-C stops them in reverse order.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Run the local platform, the ingest service and metrics-streams until Ctrl-C.")
final class UpCommand implements Callable<Integer> {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(45);

    @Option(names = "--data-dir", defaultValue = "${env:CXPULSE_DATA_DIR:-.cxpulse/data}",
            description = "Where the broker keeps its data (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--kafka-port", defaultValue = "${env:CXPULSE_KAFKA_PORT:-9092}", description = "Kafka port.")
    int kafkaPort;

    @Option(names = "--registry-port", defaultValue = "${env:CXPULSE_REGISTRY_PORT:-8081}",
            description = "Schema registry port.")
    int registryPort;

    @Option(names = "--ingest-port", defaultValue = "${env:CXPULSE_INGEST_PORT:-8080}",
            description = "Ingest service port.")
    int ingestPort;

    @Option(names = "--streams-port", defaultValue = "${env:CXPULSE_STREAMS_PORT:-8090}",
            description = "metrics-streams port (query API and /metrics); further instances take the next ports.")
    int streamsPort;

    @Option(names = "--brokers", defaultValue = "${env:CXPULSE_BROKERS:-1}",
            description = "Kafka brokers (default: ${DEFAULT-VALUE}). With 3, each runs in its own process on the "
                    + "ports from --kafka-port on, and every topic is replicated on 3 brokers with "
                    + "min.insync.replicas 2. A cluster keeps its data apart from a single broker's.")
    int brokers;

    @Option(names = "--streams-instances", defaultValue = "${env:CXPULSE_STREAMS_INSTANCES:-1}",
            description = "metrics-streams instances sharing the work (default: ${DEFAULT-VALUE}); each has its own "
                    + "port, state directory and static membership id, and answers every query.")
    int streamsInstances;

    @Option(names = "--with-prometheus", description = "Also run Prometheus (Debian's prometheus package must be "
            + "installed) with the rules and alerts in ops/prometheus, scraping both services.")
    boolean withPrometheus;

    @Option(names = "--prometheus-port", defaultValue = "${env:CXPULSE_PROMETHEUS_PORT:-9090}",
            description = "Prometheus port, with --with-prometheus.")
    int prometheusPort;

    @Option(names = "--ops-dir", defaultValue = "${env:CXPULSE_OPS_DIR:-ops}",
            description = "The ops/ folder whose Prometheus rules --with-prometheus loads (default: ${DEFAULT-VALUE}).")
    Path opsDir;

    @Option(names = "--platform-jar", required = true, defaultValue = "${env:CXPULSE_PLATFORM_JAR}",
            description = "The local-platform runnable jar.")
    Path platformJar;

    @Mixin
    ServiceJars jars;

    @Override
    public Integer call() throws Exception {
        Path logs = dataDir.toAbsolutePath().getParent().resolve("logs");
        if (withPrometheus && !PrometheusConfig.installed()) {
            System.err.println("--with-prometheus needs the prometheus binary on the PATH "
                    + "(Debian: sudo apt-get install prometheus)");
            return 2;
        }
        List<ChildProcess> started = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            stopAll(started);
            stopped.countDown();
        }, "cxpulse-up-shutdown"));
        try {
            if (brokers < 1 || brokers > 9 || streamsInstances < 1 || streamsInstances > 9) {
                System.err.println("--brokers and --streams-instances must be between 1 and 9");
                return 2;
            }
            ChildProcess platform = ChildProcess.startJar("local-platform", platformJar, List.of(),
                    List.of(dataDir.toAbsolutePath().toString(), "--kafka-port", Integer.toString(kafkaPort),
                            "--registry-port", Integer.toString(registryPort), "--brokers", Integer.toString(brokers),
                            "--logs-dir", logs.toString()),
                    Map.of(), logs.resolve("local-platform.log"));
            started.add(platform);
            platform.awaitReady(() -> platform.logContains("Ready."), START_TIMEOUT);

            String bootstrap = IntStream.range(0, brokers).mapToObj(i -> "127.0.0.1:" + (kafkaPort + i))
                    .collect(Collectors.joining(","));
            String registry = "http://127.0.0.1:" + registryPort;
            ServiceProcesses services = new ServiceProcesses(jars, bootstrap, registry, logs);
            String ingestUrl = "http://127.0.0.1:" + ingestPort;
            String tokens = System.getenv().getOrDefault("CXPULSE_INGEST_TOKENS", "dev:dev-token");
            ChildProcess ingest = services.ingest("ingest-service", ingestPort,
                    Map.of("CXPULSE_INGEST_TOKENS", tokens));
            started.add(ingest);
            ingest.awaitReady(() -> Http.ok(ingestUrl + "/health/ready"), START_TIMEOUT);

            List<Integer> streamsPorts = IntStream.range(0, streamsInstances).mapToObj(i -> streamsPort + i).toList();
            List<ChildProcess> instances = new ArrayList<>();
            for (int i = 1; i <= streamsInstances; i++) {
                instances.add(startStreams(services, i, streamsPorts.get(i - 1)));
                started.add(instances.get(i - 1));
            }
            for (int i = 0; i < streamsInstances; i++) {
                String url = "http://127.0.0.1:" + streamsPorts.get(i);
                instances.get(i).awaitReady(() -> Http.ok(url + "/health/ready"), START_TIMEOUT);
            }
            String streamsUrl = "http://127.0.0.1:" + streamsPort;

            String prometheusUrl = "http://127.0.0.1:" + prometheusPort;
            if (withPrometheus) {
                Path home = dataDir.toAbsolutePath().getParent().resolve("prometheus");
                Path config = PrometheusConfig.write(opsDir.toAbsolutePath(), home, ingestPort, streamsPorts);
                ChildProcess prometheus = ChildProcess.start("prometheus", List.of("prometheus",
                        "--config.file=" + config, "--storage.tsdb.path=" + home.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + prometheusPort), Map.of(), logs.resolve("prometheus.log"));
                started.add(prometheus);
                prometheus.awaitReady(() -> Http.ok(prometheusUrl + "/-/ready"), START_TIMEOUT);
            }

            System.out.println();
            System.out.println("CX Pulse is up.");
            System.out.println("  Kafka bootstrap servers  " + bootstrap);
            System.out.println("  Schema registry          " + registry);
            System.out.println("  Ingest API               " + ingestUrl + "/v1/{survey-responses,ticket-events,"
                    + "touchpoints}   (OpenAPI: " + ingestUrl + "/openapi.yaml)");
            System.out.println("  Ingest metrics           " + ingestUrl + "/metrics");
            System.out.println("  NPS, CSAT, CES           " + streamsUrl + "/v1/nps?window=1h   (also /v1/csat, "
                    + "/v1/ces, /v1/nps/trend, /v1/alerts)");
            System.out.println("  Response times           " + streamsUrl + "/v1/response-times?window=24h");
            System.out.println("  Friction points          " + streamsUrl + "/v1/friction/top?window=7d"
                    + "&by=detractorLift");
            System.out.println("  Streams metrics          " + streamsPorts.stream()
                    .map(port -> "http://127.0.0.1:" + port + "/metrics").collect(Collectors.joining(" ")));
            if (withPrometheus) {
                System.out.println("  Prometheus               " + prometheusUrl + "   (alerts: " + prometheusUrl
                        + "/alerts, rules: " + prometheusUrl + "/rules)");
            }
            if (System.getenv("CXPULSE_INGEST_TOKENS") == null) {
                System.out.println("  Source / token           dev / dev-token   "
                        + "(set CXPULSE_INGEST_TOKENS to change)");
            } else {
                System.out.println("  Sources                  from CXPULSE_INGEST_TOKENS");
            }
            System.out.println("  Logs                     " + logs);
            System.out.println("Press Ctrl-C to stop.");
            while (started.stream().allMatch(ChildProcess::isAlive)) {
                if (stopped.await(500, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    return 0;
                }
            }
            if (stopping.get()) {
                stopped.await();
                return 0;
            }
            started.stream().filter(p -> !p.isAlive()).forEach(p -> System.err.println(p.name()
                    + " stopped unexpectedly; last lines of " + p.log() + ":\n" + p.tail(20)));
            return 1;
        } catch (java.io.IOException e) {
            System.err.println(e.getMessage());
            return 1;
        }
    }

    /**
     * metrics-streams instance {@code i} (from 1): its own port, state directory and static membership id, so
     * that a restart takes its tasks back at once instead of waiting for the old member's session to time out.
     */
    private ChildProcess startStreams(ServiceProcesses services, int i, int port) throws java.io.IOException {
        Path home = dataDir.toAbsolutePath().getParent();
        // a cluster's state apart from a single broker's: the same topics there are other topics
        Path state = (brokers == 1 ? home.resolve("state") : home.resolve("state").resolve("cluster"))
                .resolve(i == 1 ? "metrics-streams" : "metrics-streams-" + i);
        String name = i == 1 ? "metrics-streams" : "metrics-streams-" + i;
        return services.streams(name, port, state, Map.of(
                "CXPULSE_KAFKA_GROUP_INSTANCE_ID", "cxpulse-up-" + name,
                // one Prometheus label set: the simulator's segments and queues, unless set
                "CXPULSE_METRICS_SEGMENTS", System.getenv().getOrDefault("CXPULSE_METRICS_SEGMENTS",
                        String.join(",", TrafficModel.SEGMENTS)),
                "CXPULSE_METRICS_QUEUES", System.getenv().getOrDefault("CXPULSE_METRICS_QUEUES",
                        String.join(",", TrafficModel.QUEUES))));
    }

    private static synchronized void stopAll(List<ChildProcess> started) {
        for (int i = started.size() - 1; i >= 0; i--) {
            ChildProcess process = started.get(i);
            if (process.isAlive()) {
                System.out.println("Stopping " + process.name() + "...");
            }
            try {
                process.stop(STOP_GRACE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        System.out.println("Stopped.");
    }
}
