package io.cxpulse.streams;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.cxpulse.common.LayeredConfig;

import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs metrics-streams until SIGTERM or Ctrl-C, then closes Streams cleanly (state flushed, offsets committed). */
@Command(name = "metrics-streams", mixinStandardHelpOptions = true,
        description = "CX Pulse metrics streams: rolling NPS, CSAT and CES from Kafka, with a query API.")
public final class MetricsStreamsMain implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsStreamsMain.class);

    @Option(names = "--config", description = "Optional properties file, between the defaults and CXPULSE_* "
            + "environment variables (default: $CXPULSE_CONFIG_FILE).")
    private Path configFile;

    public static void main(String[] args) {
        System.exit(new CommandLine(new MetricsStreamsMain()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        Optional<Path> file = Optional.ofNullable(configFile)
                .or(() -> Optional.ofNullable(System.getenv("CXPULSE_CONFIG_FILE")).map(Path::of));
        MetricsStreamsConfig config;
        try {
            LayeredConfig layers = LayeredConfig.load(MetricsStreamsConfig.defaults(), file, System.getenv());
            LOG.info("Effective configuration: {}", layers.masked());
            MetricsStreamsConfig.unknownKeys(layers).forEach(key -> LOG.warn("Ignoring unknown setting {}", key));
            config = MetricsStreamsConfig.from(layers);
        } catch (ConfigException e) {
            System.err.println("Invalid configuration: " + e.getMessage());
            return 2;
        }
        MetricsStreamsApp app = MetricsStreamsApp.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "metrics-streams-shutdown"));
        System.out.println("metrics-streams: " + app.url());
        stopped.await();
        return 0;
    }
}
