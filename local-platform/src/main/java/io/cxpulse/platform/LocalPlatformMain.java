package io.cxpulse.platform;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.cxpulse.platform.cluster.LocalCluster;
import io.cxpulse.platform.kafka.BrokerSettings;
import io.cxpulse.platform.kafka.KafkaBroker;
import io.cxpulse.platform.registry.RegistrySettings;
import io.cxpulse.platform.registry.SchemaRegistryServer;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs the local platform in the foreground until Ctrl-C: {@code java -jar local-platform.jar DATA_DIR}. With
 * {@code --brokers N} the brokers are a cluster of N processes ({@link LocalCluster}); the {@code broker} and
 * {@code registry} subcommands are those processes.
 */
@Command(name = "local-platform", mixinStandardHelpOptions = true,
        subcommands = {LocalPlatformMain.Broker.class, LocalPlatformMain.Registry.class},
        description = "Runs real Kafka brokers (KRaft) and a Confluent-compatible schema registry on 127.0.0.1.")
public final class LocalPlatformMain implements Callable<Integer> {
    private static final String READY = "Ready.";

    // optional for picocli, so that the subcommands need not name it; required by call()
    @Parameters(index = "0", arity = "0..1", paramLabel = "DATA_DIR",
            description = "Directory for the brokers' data; reused across runs.")
    private Path dataDir;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--kafka-port", defaultValue = "${env:CXPULSE_KAFKA_PORT:-9092}",
            description = "Kafka client port of the first broker, the others following it (default: "
                    + "${DEFAULT-VALUE}; 0 picks free ports).")
    private int kafkaPort;

    @Option(names = "--registry-port", defaultValue = "${env:CXPULSE_REGISTRY_PORT:-8081}",
            description = "Schema registry HTTP port (default: ${DEFAULT-VALUE}; 0 picks a free port).")
    private int registryPort;

    @Option(names = "--brokers", defaultValue = "1",
            description = "How many brokers (default: ${DEFAULT-VALUE}, in this process). With more, each broker "
                    + "and the registry run in their own process, and topics are replicated on 3 brokers "
                    + "(min.insync.replicas 2).")
    private int brokers;

    @Option(names = "--logs-dir", description = "Where the brokers' and the registry's processes write their "
            + "output, with --brokers above 1 (default: DATA_DIR/logs).")
    private Path logsDir;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LocalPlatformMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (dataDir == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required parameter: 'DATA_DIR'");
        }
        Path data = dataDir.toAbsolutePath();
        AutoCloseable platform;
        String bootstrap;
        String registry;
        if (brokers == 1) {
            LocalPlatform local = LocalPlatform.start(kafkaPort, registryPort, data);
            platform = local;
            bootstrap = local.bootstrapServers();
            registry = local.schemaRegistryUrl();
        } else {
            Path logs = logsDir == null ? data.resolve("logs") : logsDir.toAbsolutePath();
            LocalCluster cluster = LocalCluster.start(new LocalCluster.Settings(brokers, kafkaPort, registryPort,
                    data, logs, LocalCluster.Settings.loopback(brokers, data).jvmOptions()));
            platform = cluster;
            bootstrap = cluster.bootstrapServers();
            registry = cluster.schemaRegistryUrl();
        }
        PrintWriter out = new PrintWriter(System.out, true);
        out.println("Kafka bootstrap servers: " + bootstrap);
        out.println("Schema registry:         " + registry);
        out.println("Data directory:          " + data);
        runUntilStopped("Local platform", platform);
        return 0;
    }

    /** Prints {@value #READY} and waits for SIGTERM or Ctrl-C, which closes {@code service}. */
    private static void runUntilStopped(String what, AutoCloseable service) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println(what + " stopping...");
            try {
                service.close();
            } catch (Exception e) {
                System.out.println("Could not stop " + what + " cleanly: " + e);
            }
            System.out.println(what + " stopped.");
            stopped.countDown();
        }, "local-platform-shutdown"));
        System.out.println(READY + " Press Ctrl-C to stop.");
        stopped.await();
    }

    /** One node of a cluster: a broker and KRaft controller, as {@link LocalCluster} starts it. */
    @Command(name = "broker", mixinStandardHelpOptions = true,
            description = "Runs one broker and controller of a local cluster until SIGTERM.")
    static final class Broker implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DATA_DIR", description = "This node's data directory.")
        Path dataDir;

        @Option(names = "--node-id", required = true, description = "This node's id, from 1.")
        int nodeId;

        @Option(names = "--brokers", required = true, description = "How many nodes the cluster has.")
        int brokers;

        @Option(names = "--cluster-id", required = true, description = "The cluster's id, the same on each node.")
        String clusterId;

        @Option(names = "--voters", required = true,
                description = "Every node's controller address: 1@host:port,2@host:port,...")
        String voters;

        @Option(names = "--kafka-port", required = true, description = "The client port.")
        int kafkaPort;

        @Option(names = "--controller-port", required = true, description = "The KRaft controller port.")
        int controllerPort;

        @Override
        public Integer call() throws InterruptedException {
            KafkaBroker broker = KafkaBroker.start(new BrokerSettings(Ports.LOOPBACK, nodeId, kafkaPort,
                    controllerPort, voters, brokers, Optional.of(clusterId), dataDir.toAbsolutePath(), Map.of()));
            runUntilStopped("Broker", broker);
            return 0;
        }
    }

    /** The schema registry on its own, as {@link LocalCluster} starts it. */
    @Command(name = "registry", mixinStandardHelpOptions = true,
            description = "Runs the schema registry on a Kafka cluster until SIGTERM.")
    static final class Registry implements Callable<Integer> {
        @Option(names = "--bootstrap-servers", required = true, description = "The cluster that holds _schemas.")
        String bootstrapServers;

        @Option(names = "--registry-port", required = true, description = "The HTTP port.")
        int registryPort;

        @Override
        public Integer call() throws InterruptedException {
            SchemaRegistryServer server =
                    SchemaRegistryServer.start(RegistrySettings.loopback(registryPort, bootstrapServers));
            System.out.println("Schema registry: " + server.url());
            runUntilStopped("Registry", server);
            return 0;
        }
    }
}
