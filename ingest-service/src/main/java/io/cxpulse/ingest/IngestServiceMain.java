package io.cxpulse.ingest;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

import io.cxpulse.common.ServiceLauncher;
import io.cxpulse.ingest.config.IngestConfig;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the ingest service until SIGTERM or Ctrl-C, then shuts it down gracefully. */
@Command(name = "ingest-service", mixinStandardHelpOptions = true,
        description = "CX Pulse ingest service: authenticated HTTP ingestion of CX events into Kafka.")
public final class IngestServiceMain implements Callable<Integer> {
    @Option(names = "--config", description = "Optional properties file, between the defaults and CXPULSE_* "
            + "environment variables (default: $CXPULSE_CONFIG_FILE).")
    private Path configFile;

    public static void main(String[] args) {
        System.exit(new CommandLine(new IngestServiceMain()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        return ServiceLauncher.run("Ingest service", configFile, IngestConfig.defaults(), IngestConfig::unknownKeys,
                IngestConfig::from, config -> IngestService.start(config, Clock.systemUTC()));
    }
}
