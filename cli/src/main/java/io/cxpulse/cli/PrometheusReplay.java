package io.cxpulse.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.cxpulse.cli.AlertSimulation.Counts;
import io.cxpulse.cli.AlertSimulation.Trace;
import io.cxpulse.platform.Ports;
import io.cxpulse.streams.alert.ShareAlertRule.Severity;

/**
 * Replays simulated segments through a real Prometheus and the alert rules of {@code ops/prometheus/rules}: writes
 * what metrics-streams would have exported each minute (the survey counters and the detractor alerts' gauges) as
 * OpenMetrics, turns it into TSDB blocks with {@code promtool}, starts {@code prometheus} on them, and evaluates each
 * alert's expression every minute with {@code query_range}, its recording rules written out in place. An alert fires
 * once its expression has held for its {@code for}, as the rule manager does at a one-minute evaluation interval.
 */
final class PrometheusReplay implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MINUTE = 60;
    private static final int CHUNK = 7 * AlertSimulation.MINUTES_PER_DAY;

    private final Path dir;
    private final Map<String, String> recordings = new LinkedHashMap<>();
    private final Map<String, Rule> alerts = new LinkedHashMap<>();
    private final HttpClient client = HttpClient.newHttpClient();
    private final long start;
    private Process prometheus;
    private String api;

    /**
     * One alert rule: its expression with recording rules written out, and its {@code for} and
     * {@code keep_firing_for} in minutes.
     */
    record Rule(String name, String severity, String expr, int forMinutes, int keepFiringMinutes) {
    }

    /** A simulated segment: its counts (warm-up first) and what the stream rule exported after the warm-up. */
    record Segment(String name, Counts counts, Trace trace) {
    }

    /** When an alert fired for a segment: the minutes (after the warm-up) each episode began. */
    record Firing(String alert, String severity, String segment, List<Integer> starts) {
    }

    /**
     * @param ops   the ops directory, whose rules are replayed
     * @param dir   a scratch directory
     * @param start the Unix second of the first simulated minute
     */
    PrometheusReplay(Path ops, Path dir, long start) throws IOException {
        this.dir = dir;
        this.start = start;
        YAMLMapper yaml = new YAMLMapper();
        for (JsonNode group : yaml.readTree(ops.resolve("prometheus/rules/recording.yml").toFile()).path("groups")) {
            group.path("rules").forEach(rule -> recordings.put(rule.path("record").asText(),
                    rule.path("expr").asText().trim()));
        }
        for (JsonNode group : yaml.readTree(ops.resolve("prometheus/rules/alerts.yml").toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String name = rule.path("alert").asText();
                String severity = rule.path("labels").path("severity").asText();
                DurationConverter durations = new DurationConverter();
                alerts.put(name + "/" + severity, new Rule(name, severity, expand(rule.path("expr").asText()),
                        (int) durations.convert(rule.path("for").asText("0s")).toMinutes(),
                        (int) durations.convert(rule.path("keep_firing_for").asText("0s")).toMinutes()));
            }
        }
    }

    /** Whether {@code prometheus} and {@code promtool} are on the PATH. */
    static boolean available() {
        try {
            return new ProcessBuilder("sh", "-c", "command -v prometheus && command -v promtool").start()
                    .waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code expr} with every recording rule it names replaced by its expression, recursively. */
    String expand(String expr) {
        String expanded = expr;
        for (int depth = 0; depth < 10; depth++) {
            String before = expanded;
            for (Map.Entry<String, String> recording : recordings.entrySet()) {
                Matcher matcher = Pattern.compile("(?<![\\w:])" + Pattern.quote(recording.getKey()) + "(?![\\w:])")
                        .matcher(expanded);
                expanded = matcher.replaceAll(Matcher.quoteReplacement("(" + recording.getValue() + ")"));
            }
            if (expanded.equals(before)) {
                return expanded;
            }
        }
        throw new IllegalStateException("recording rules nest too deep in " + expr);
    }

    /** Writes the segments' series, builds the blocks and starts Prometheus on them. */
    void load(List<Segment> segments) throws IOException, InterruptedException {
        Path input = dir.resolve("series.om");
        try (BufferedWriter out = Files.newBufferedWriter(input)) {
            out.write("# TYPE cx_survey_responses_total gauge\n");
            for (Segment segment : segments) {
                Counts counts = segment.counts();
                long[] passives = new long[counts.counts().length];
                for (int m = 0; m < passives.length; m++) {
                    passives[m] = counts.counts()[m] - counts.hits()[m] - counts.promoters()[m];
                }
                for (Map.Entry<String, long[]> category : Map.of("detractor", counts.hits(), "promoter",
                        counts.promoters(), "passive", passives).entrySet()) {
                    String labels = "{metric=\"NPS\",category=\"" + category.getKey() + "\",segment=\""
                            + segment.name() + "\",channel=\"WEB\"}";
                    long total = 0;
                    for (int m = 0; m < category.getValue().length; m++) {
                        total += category.getValue()[m];
                        out.write("cx_survey_responses_total" + labels + " " + total + " " + time(m) + "\n");
                    }
                }
            }
            int warmup = segments.isEmpty() ? 0 : segments.get(0).counts().warmup();
            for (String gauge : List.of("evidence", "open")) {
                out.write("# TYPE cx_detractor_alert_" + gauge + " gauge\n");
                for (Segment segment : segments) {
                    for (Severity severity : Severity.values()) {
                        String labels = "{severity=\"" + severity.label() + "\",segment=\"" + segment.name()
                                + "\"}";
                        Trace trace = segment.trace();
                        for (int m = 0; m < trace.open()[severity.ordinal()].length; m++) {
                            double value = gauge.equals("open") ? (trace.open()[severity.ordinal()][m] ? 1 : 0)
                                    : trace.evidence()[severity.ordinal()][m];
                            out.write("cx_detractor_alert_" + gauge + labels + " "
                                    + String.format(Locale.ROOT, "%.4f", value) + " " + time(warmup + m) + "\n");
                        }
                    }
                }
            }
            out.write("# EOF\n");
        }
        Path data = dir.resolve("data");
        run(List.of("promtool", "tsdb", "create-blocks-from", "openmetrics", "-q", input.toString(),
                data.toString()));
        Files.delete(input);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  evaluation_interval: 1m\n");
        int port = Ports.free();
        api = "http://127.0.0.1:" + port;
        prometheus = new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + data,
                "--storage.tsdb.retention.time=3650d", "--web.listen-address=127.0.0.1:" + port,
                "--query.max-samples=100000000").redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!Http.ok(api + "/-/ready")) {
            if (!prometheus.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("Prometheus did not start; see " + dir.resolve("prometheus.log"));
            }
            Thread.sleep(500);
        }
    }

    /**
     * When {@code name}'s rule of {@code severity} fired, per segment, evaluated every minute from {@code from} to
     * {@code to} (minutes after the warm-up of {@code warmup} minutes).
     */
    Map<String, Firing> firings(String name, String severity, int warmup, int from, int to)
            throws IOException, InterruptedException {
        Rule rule = alerts.get(name + "/" + severity);
        if (rule == null) {
            throw new IllegalArgumentException("no alert " + name + " of severity " + severity);
        }
        Map<String, boolean[]> present = new HashMap<>();
        for (int chunk = from; chunk < to; chunk += CHUNK) {
            int end = Math.min(to, chunk + CHUNK) - 1;
            String query = api + "/api/v1/query_range?query=" + URLEncoder.encode(rule.expr(), StandardCharsets.UTF_8)
                    + "&start=" + time(warmup + chunk) + "&end=" + time(warmup + end) + "&step=60";
            JsonNode answer = JSON.readTree(client.send(HttpRequest.newBuilder(URI.create(query))
                    .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofString()).body());
            if (!"success".equals(answer.path("status").asText())) {
                throw new IOException("query_range failed: " + answer);
            }
            for (JsonNode series : answer.path("data").path("result")) {
                boolean[] minutes = present.computeIfAbsent(series.path("metric").path("segment").asText(),
                        segment -> new boolean[to]);
                for (JsonNode value : series.path("values")) {
                    int m = (int) ((value.get(0).asLong() - start) / MINUTE) - warmup;
                    if (m >= 0 && m < to) {
                        minutes[m] = true;
                    }
                }
            }
        }
        Map<String, Firing> firings = new TreeMap<>();
        present.forEach((segment, minutes) -> {
            List<Integer> starts = new ArrayList<>();
            int held = 0;
            int lastTrue = Integer.MIN_VALUE;
            boolean firing = false;
            for (int m = from; m < to; m++) {
                held = minutes[m] ? held + 1 : 0;
                if (minutes[m]) {
                    lastTrue = m;
                }
                // pending until the expression has held for `for`; once firing, it keeps firing for
                // keep_firing_for after the expression stops
                boolean now = firing ? m - lastTrue <= rule.keepFiringMinutes() : held > rule.forMinutes();
                if (now && !firing) {
                    starts.add(m);
                }
                firing = now;
            }
            firings.put(segment, new Firing(name, severity, segment, starts));
        });
        return firings;
    }

    private long time(int minute) {
        return start + minute * MINUTE;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    @Override
    public void close() {
        if (prometheus != null) {
            prometheus.destroy();
            try {
                prometheus.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
