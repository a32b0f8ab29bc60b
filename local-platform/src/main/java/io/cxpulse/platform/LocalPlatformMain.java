package io.cxpulse.platform;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs the local platform in the foreground until Ctrl-C: {@code java -jar local-platform.jar DATA_DIR}.
 */
@Command(name = "local-platform", mixinStandardHelpOptions = true,
        description = "Runs a real Kafka broker (KRaft) and a Confluent-compatible schema registry on 127.0.0.1.")
public final class LocalPlatformMain implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DATA_DIR",
            description = "Directory for the broker's data; reused across runs.")
    private Path dataDir;

    @Option(names = "--kafka-port", defaultValue = "${env:CXPULSE_KAFKA_PORT:-9092}",
            description = "Kafka client port (default: ${DEFAULT-VALUE}; 0 picks a free port).")
    private int kafkaPort;

    @Option(names = "--registry-port", defaultValue = "${env:CXPULSE_REGISTRY_PORT:-8081}",
            description = "Schema registry HTTP port (default: ${DEFAULT-VALUE}; 0 picks a free port).")
    private int registryPort;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LocalPlatformMain()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        LocalPlatform platform = LocalPlatform.start(kafkaPort, registryPort, dataDir.toAbsolutePath());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping the local platform...");
            platform.close();
            System.out.println("Local platform stopped.");
            stopped.countDown();
        }, "local-platform-shutdown"));
        PrintWriter out = new PrintWriter(System.out, true);
        out.println("Kafka bootstrap servers: " + platform.bootstrapServers());
        out.println("Schema registry:         " + platform.schemaRegistryUrl());
        out.println("Data directory:          " + dataDir.toAbsolutePath());
        out.println("Ready. Press Ctrl-C to stop.");
        stopped.await();
        return 0;
    }
}
