package io.cxpulse.streams;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.cxpulse.common.ServiceLauncher;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs metrics-streams until SIGTERM or Ctrl-C, then closes Streams cleanly (state flushed, offsets committed). */
@Command(name = "metrics-streams", mixinStandardHelpOptions = true,
        description = "CX Pulse metrics streams: rolling NPS, CSAT and CES from Kafka, with a query API.")
public final class MetricsStreamsMain implements Callable<Integer> {
    @Option(names = "--config", description = "Optional properties file, between the defaults and CXPULSE_* "
            + "environment variables (default: $CXPULSE_CONFIG_FILE).")
    private Path configFile;

    public static void main(String[] args) {
        System.exit(new CommandLine(new MetricsStreamsMain()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        return ServiceLauncher.run("metrics-streams", configFile, MetricsStreamsConfig.defaults(),
                MetricsStreamsConfig::unknownKeys, MetricsStreamsConfig::from,
                config -> MetricsStreamsApp.start(config).exitWhenFailed());
    }
}
