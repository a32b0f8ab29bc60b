package io.cxpulse.ingest;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.cxpulse.common.LayeredConfig;
import io.cxpulse.ingest.config.IngestConfig;

import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the ingest service until SIGTERM or Ctrl-C, then shuts it down gracefully. */
@Command(name = "ingest-service", mixinStandardHelpOptions = true,
        description = "CX Pulse ingest service: authenticated HTTP ingestion of CX events into Kafka.")
public final class IngestServiceMain implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(IngestServiceMain.class);

    @Option(names = "--config", description = "Optional properties file, between the defaults and CXPULSE_* "
            + "environment variables (default: $CXPULSE_CONFIG_FILE).")
    private Path configFile;

    public static void main(String[] args) {
        System.exit(new CommandLine(new IngestServiceMain()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        Optional<Path> file = Optional.ofNullable(configFile)
                .or(() -> Optional.ofNullable(System.getenv("CXPULSE_CONFIG_FILE")).map(Path::of));
        IngestConfig config;
        try {
            LayeredConfig layers = LayeredConfig.load(IngestConfig.defaults(), file, System.getenv());
            LOG.info("Effective configuration: {}", layers.masked());
            IngestConfig.unknownKeys(layers).forEach(key -> LOG.warn("Ignoring unknown setting {}", key));
            config = IngestConfig.from(layers);
        } catch (ConfigException e) {
            System.err.println("Invalid configuration: " + e.getMessage());
            return 2;
        }
        IngestService service = IngestService.start(config, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "ingest-shutdown"));
        System.out.println("Ingest service: " + service.url());
        stopped.await();
        return 0;
    }
}
