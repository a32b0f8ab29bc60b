package io.cxpulse.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

/** The Grafana dashboards in {@code ops/grafana/dashboards}, and their panels' queries. */
final class Dashboards {
    static final Path DIR = Path.of("..", "ops", "grafana", "dashboards").toAbsolutePath().normalize();

    /** One panel's query: where it is, its PromQL as Grafana would send it, and whether a short run fills it. */
    record Query(String dashboard, String panel, String expr, boolean requiresData) {
        /**
         * The PromQL with the template variables expanded as Grafana expands them with "All" selected
         * ({@code .*}) and {@code $__rate_interval} as 4 scrape intervals of 15 s.
         */
        String expanded() {
            return expr.replace("$segment", ".*").replace("$channel", ".*").replace("$__rate_interval", "1m");
        }
    }

    private Dashboards() {
    }

    static List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        }
    }

    static List<Query> queries() throws IOException {
        List<Query> queries = new ArrayList<>();
        for (Path file : files()) {
            JsonNode board = TrafficModel.JSON.readTree(file.toFile());
            for (JsonNode panel : board.path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    queries.add(new Query(board.path("title").asText(), panel.path("title").asText(),
                            target.path("expr").asText(), target.path("cxpulseRequiresData").asBoolean()));
                }
            }
        }
        return queries;
    }
}
