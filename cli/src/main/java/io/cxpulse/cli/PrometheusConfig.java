package io.cxpulse.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The Prometheus configuration {@code up --with-prometheus} runs: {@code ops/prometheus/prometheus.yml} itself,
 * with its rule files found in {@code ops/} and its scrape targets moved to the ports in use (every
 * metrics-streams instance), so that a laptop runs exactly the rules and alerts that the promtool tests check.
 */
final class PrometheusConfig {
    private static final String INGEST_TARGET = "127.0.0.1:8080";
    private static final String STREAMS_TARGET = "127.0.0.1:8090";

    private PrometheusConfig() {
    }

    /** Whether Debian's prometheus binary is on the PATH. */
    static boolean installed() {
        try {
            return new ProcessBuilder("sh", "-c", "command -v prometheus").start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Writes the configuration into {@code home} and returns its path. */
    static Path write(Path ops, Path home, int ingestPort, List<Integer> streamsPorts) throws IOException {
        Path source = ops.resolve("prometheus").resolve("prometheus.yml");
        if (!Files.exists(source)) {
            throw new IOException("No Prometheus configuration at " + source + " (set --ops-dir)");
        }
        String text = Files.readString(source);
        if (!text.contains(INGEST_TARGET) || !text.contains(STREAMS_TARGET)) {
            throw new IOException(source + " no longer scrapes " + INGEST_TARGET + " and " + STREAMS_TARGET);
        }
        String rules = ops.resolve("prometheus").resolve("rules").toString();
        String written = text.replace(INGEST_TARGET, "127.0.0.1:" + ingestPort)
                .replace(STREAMS_TARGET, streamsPorts.stream().map(port -> "127.0.0.1:" + port)
                        .collect(Collectors.joining("\", \"")))
                .replace("  - rules/", "  - " + rules + "/");
        Files.createDirectories(home);
        Path config = home.resolve("prometheus.yml");
        Files.writeString(config, written);
        return config;
    }
}
