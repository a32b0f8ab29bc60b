package io.cxpulse.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.cxpulse.platform.process.ChildProcess;

/**
 * Starts ingest-service and metrics-streams instances as their own processes on one Kafka cluster and registry,
 * each with its output in {@code logs/<name>.log}.
 *
 * @param jars             the services' runnable jars
 * @param bootstrapServers the cluster
 * @param registryUrl      the schema registry
 * @param logs             where the logs go
 */
record ServiceProcesses(ServiceJars jars, String bootstrapServers, String registryUrl, Path logs) {
    /** The ingest service's JVM: a bounded heap, and the throughput collector (measured by bench ingest). */
    static final List<String> INGEST_JVM = List.of("-Xmx256m", "-XX:+UseParallelGC");
    /** metrics-streams' JVM: its state lives in RocksDB, off the heap. */
    static final List<String> STREAMS_JVM = List.of("-Xmx512m");

    /** An ingest service on {@code port}, with {@code settings} (environment variables) over the cluster's. */
    ChildProcess ingest(String name, int port, Map<String, String> settings) throws IOException {
        return ChildProcess.startJar(name, jars.ingestJar, INGEST_JVM, List.of(), environment(port, settings),
                logs.resolve(name + ".log"));
    }

    /**
     * A metrics-streams instance on {@code port} keeping its state in {@code stateDir}, with {@code settings}
     * over the cluster's. Instances of one application need their own port, state directory and
     * {@code CXPULSE_KAFKA_GROUP_INSTANCE_ID}.
     */
    ChildProcess streams(String name, int port, Path stateDir, Map<String, String> settings) throws IOException {
        Map<String, String> environment = environment(port, settings);
        environment.put("CXPULSE_STATE_DIR", stateDir.toAbsolutePath().toString());
        return ChildProcess.startJar(name, jars.streamsJar, STREAMS_JVM, List.of(), environment,
                logs.resolve(name + ".log"));
    }

    private Map<String, String> environment(int port, Map<String, String> settings) {
        Map<String, String> environment = new HashMap<>();
        environment.put("CXPULSE_HTTP_PORT", Integer.toString(port));
        environment.put("CXPULSE_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        environment.put("CXPULSE_SCHEMA_REGISTRY_URL", registryUrl);
        environment.putAll(settings);
        return environment;
    }
}
