package io.cxpulse.platform.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PrimitiveIterator;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.cxpulse.platform.LocalPlatformMain;
import io.cxpulse.platform.Ports;
import io.cxpulse.platform.process.ChildProcess;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka cluster of several real brokers on this machine, each in its own process so that one can be killed,
 * paused or restarted, and a Confluent-compatible schema registry in its own process on it. Every topic is
 * replicated as in production: on 3 brokers (or all of a smaller cluster), with {@code min.insync.replicas} 2.
 *
 * <p>The cluster's id and size are kept in {@code cluster.properties} under the data directory, so a cluster
 * started again on the same directory is the same cluster with the same topics and records.
 */
public final class LocalCluster implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final String READY = "Ready.";

    /**
     * What to start.
     *
     * @param brokers        how many brokers, each a KRaft controller too (1 to 9)
     * @param firstKafkaPort the first broker's client port, the others following it; 0 for free ports
     * @param registryPort   the registry's HTTP port, 0 for a free one
     * @param dataDir        where the brokers keep their data; reused across runs
     * @param logs           where each process writes its output ({@code broker-N.log}, {@code registry.log})
     * @param jvmOptions     options of each broker's and the registry's JVM
     */
    public record Settings(int brokers, int firstKafkaPort, int registryPort, Path dataDir, Path logs,
            List<String> jvmOptions) {
        public Settings {
            if (brokers < 1 || brokers > 9) {
                throw new IllegalArgumentException("brokers must be between 1 and 9, was " + brokers);
            }
            jvmOptions = List.copyOf(jvmOptions);
        }

        /** Settings on free ports with the given number of brokers, logs beside the data. */
        public static Settings loopback(int brokers, Path dataDir) {
            return new Settings(brokers, 0, 0, dataDir, dataDir.resolve("logs"), List.of("-Xmx384m"));
        }
    }

    private final Settings settings;
    private final String clusterId;
    private final int[] kafkaPorts;
    private final int[] controllerPorts;
    private final int registryPort;
    private final ChildProcess[] brokers;
    private ChildProcess registry;

    private LocalCluster(Settings settings, String clusterId) {
        this.settings = settings;
        this.clusterId = clusterId;
        int n = settings.brokers();
        // the ports asked for, then different free ones for the rest
        Set<Integer> asked = new HashSet<>();
        if (settings.firstKafkaPort() != 0) {
            IntStream.range(0, n).forEach(i -> asked.add(settings.firstKafkaPort() + i));
        }
        if (settings.registryPort() != 0) {
            asked.add(settings.registryPort());
        }
        PrimitiveIterator.OfInt spare = Arrays.stream(Ports.free(2 * n + 1 + asked.size()))
                .filter(port -> !asked.contains(port)).iterator();
        this.kafkaPorts = IntStream.range(0, n)
                .map(i -> settings.firstKafkaPort() == 0 ? spare.nextInt() : settings.firstKafkaPort() + i).toArray();
        for (int port : kafkaPorts) {
            Ports.requireValid("Kafka port", port);
        }
        this.controllerPorts = IntStream.range(0, n).map(i -> spare.nextInt()).toArray();
        this.registryPort = settings.registryPort() != 0 ? settings.registryPort() : spare.nextInt();
        this.brokers = new ChildProcess[n];
    }

    /**
     * Starts every broker, waits until each serves clients, then starts the registry on them. When something does
     * not start, what did is stopped again before the exception is thrown.
     */
    public static LocalCluster start(Settings settings) throws IOException, InterruptedException {
        Path dataDir = settings.dataDir().toAbsolutePath();
        LocalCluster cluster = new LocalCluster(settings, clusterId(dataDir, settings.brokers()));
        try {
            // every node at once: none is ready before a majority of the controllers are up
            for (int node = 1; node <= settings.brokers(); node++) {
                cluster.launchBroker(node);
            }
            for (int node = 1; node <= settings.brokers(); node++) {
                cluster.awaitBroker(node);
            }
            cluster.startRegistry();
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** How many brokers the cluster has. */
    public int size() {
        return brokers.length;
    }

    /** The {@code bootstrap.servers} value: every broker. */
    public String bootstrapServers() {
        return IntStream.of(kafkaPorts).mapToObj(port -> Ports.LOOPBACK + ":" + port)
                .collect(Collectors.joining(","));
    }

    /** The registry's {@code schema.registry.url}. */
    public String schemaRegistryUrl() {
        return "http://" + Ports.LOOPBACK + ":" + registryPort;
    }

    /** An admin client of the cluster; the caller closes it. */
    public Admin admin() {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return Admin.create(config);
    }

    /** The process of broker {@code node} (from 1), for its pid and log. */
    public ChildProcess broker(int node) {
        return brokers[index(node)];
    }

    /** Kills broker {@code node} with SIGKILL: no controlled shutdown, no flush. */
    public void kill(int node) throws InterruptedException {
        brokers[index(node)].kill();
    }

    /** Stops broker {@code node} with SIGTERM: a controlled shutdown that moves its leaderships first. */
    public void stop(int node) throws InterruptedException {
        brokers[index(node)].stop(STOP_GRACE);
    }

    /** Starts broker {@code node} again on its data directory, after {@link #kill} or {@link #stop}. */
    public void restart(int node) throws IOException, InterruptedException {
        if (brokers[index(node)].isAlive()) {
            throw new IllegalStateException("broker " + node + " is running");
        }
        launchBroker(node);
        awaitBroker(node);
    }

    /**
     * Makes every broker unreachable, as a network partition would: SIGSTOP, so that connections stay open and
     * nothing answers, until {@link #resumeBrokers}.
     */
    public void pauseBrokers() throws IOException, InterruptedException {
        for (ChildProcess broker : brokers) {
            broker.pause();
        }
    }

    /** Lets every broker run again after {@link #pauseBrokers}. */
    public void resumeBrokers() throws IOException, InterruptedException {
        for (ChildProcess broker : brokers) {
            broker.resume();
        }
    }

    /** Stops the schema registry (SIGTERM). */
    public void stopRegistry() throws InterruptedException {
        registry.stop(STOP_GRACE);
    }

    /** Starts the schema registry on the same port, reading its schemas back from {@code _schemas}. */
    public void startRegistry() throws IOException, InterruptedException {
        if (registry != null && registry.isAlive()) {
            throw new IllegalStateException("the registry is running");
        }
        registry = ChildProcess.start("schema-registry", command(List.of("registry",
                "--bootstrap-servers", bootstrapServers(), "--registry-port", Integer.toString(registryPort))),
                Map.of(), settings.logs().resolve("registry.log"));
        registry.awaitReady(() -> registry.logContains(READY), START_TIMEOUT);
    }

    /**
     * Waits until every partition of every topic has all its replicas in sync, as after a broker's restart once it
     * has caught up.
     *
     * @return whether it happened within {@code timeout}
     */
    public boolean awaitInSync(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                try {
                    if (allInSync(admin)) {
                        return true;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // not answering yet: try again
                }
                Thread.sleep(250);
            }
        }
        return false;
    }

    /** Stops the registry, then every broker at once (SIGTERM; SIGKILL after a grace period). */
    @Override
    public void close() {
        try {
            if (registry != null) {
                registry.stop(STOP_GRACE);
            }
            for (ChildProcess broker : brokers) {
                if (broker != null && broker.isAlive()) {
                    resumeQuietly(broker);
                    ProcessHandle.of(broker.pid()).ifPresent(ProcessHandle::destroy);
                }
            }
            for (ChildProcess broker : brokers) {
                if (broker != null) {
                    broker.stop(STOP_GRACE);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            for (ChildProcess broker : brokers) {
                if (broker != null) {
                    ProcessHandle.of(broker.pid()).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
    }

    /** SIGCONT, in case the broker is paused: a stopped process would not act on SIGTERM. */
    private static void resumeQuietly(ChildProcess broker) throws InterruptedException {
        try {
            broker.resume();
        } catch (IOException e) {
            // it has just ended: nothing to resume
        }
    }

    private static boolean allInSync(Admin admin) throws ExecutionException, TimeoutException,
            InterruptedException {
        var names = admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
                .names().get(10, TimeUnit.SECONDS);
        Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
        for (TopicDescription topic : topics.values()) {
            for (TopicPartitionInfo partition : topic.partitions()) {
                if (partition.leader() == null || partition.isr().size() < partition.replicas().size()) {
                    return false;
                }
            }
        }
        return true;
    }

    private void launchBroker(int node) throws IOException {
        String voters = IntStream.rangeClosed(1, brokers.length)
                .mapToObj(i -> i + "@" + Ports.LOOPBACK + ":" + controllerPorts[i - 1])
                .collect(Collectors.joining(","));
        brokers[index(node)] = ChildProcess.start("broker-" + node, command(List.of("broker",
                settings.dataDir().toAbsolutePath().resolve("broker-" + node).toString(),
                "--node-id", Integer.toString(node), "--brokers", Integer.toString(brokers.length),
                "--cluster-id", clusterId, "--voters", voters,
                "--kafka-port", Integer.toString(kafkaPorts[index(node)]),
                "--controller-port", Integer.toString(controllerPorts[index(node)]))),
                Map.of(), settings.logs().resolve("broker-" + node + ".log"));
    }

    private void awaitBroker(int node) throws IOException, InterruptedException {
        ChildProcess broker = brokers[index(node)];
        broker.awaitReady(() -> broker.logContains(READY), START_TIMEOUT);
    }

    private List<String> command(List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(settings.jvmOptions());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LocalPlatformMain.class.getName());
        command.addAll(arguments);
        return command;
    }

    private int index(int node) {
        if (node < 1 || node > brokers.length) {
            throw new IllegalArgumentException("no broker " + node + " in a cluster of " + brokers.length);
        }
        return node - 1;
    }

    /**
     * The id of the cluster kept under {@code dataDir}, or a new one written there. A directory that holds a
     * cluster of another size is refused: its nodes would not agree on a quorum.
     */
    private static String clusterId(Path dataDir, int brokers) {
        Path file = dataDir.resolve("cluster.properties");
        Properties properties = new Properties();
        try {
            Files.createDirectories(dataDir);
            if (Files.exists(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    properties.load(in);
                }
                int kept = Integer.parseInt(properties.getProperty("brokers", "0"));
                if (kept != brokers) {
                    throw new IllegalStateException(dataDir + " holds a cluster of " + kept + " brokers, not "
                            + brokers + ": start it with " + kept + " or use another data directory");
                }
                return properties.getProperty("cluster.id");
            }
            properties.setProperty("cluster.id", Uuid.randomUuid().toString());
            properties.setProperty("brokers", Integer.toString(brokers));
            try (OutputStream out = Files.newOutputStream(file)) {
                properties.store(out, "CX Pulse local cluster");
            }
            return properties.getProperty("cluster.id");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not keep the cluster's id in " + file, e);
        }
    }
}
