package io.cxpulse.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** The services' runnable jars, for the commands that start both services as their own processes. */
final class ServiceJars {
    @Option(names = "--ingest-jar", required = true, defaultValue = "${env:CXPULSE_INGEST_JAR}",
            description = "The ingest-service runnable jar.")
    Path ingestJar;

    @Option(names = "--streams-jar", required = true, defaultValue = "${env:CXPULSE_STREAMS_JAR}",
            description = "The metrics-streams runnable jar.")
    Path streamsJar;
}
