package io.cxpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.cxpulse.platform.Ports;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cxpulse up} from the runnable jars: the platform, the ingest service and metrics-streams each in its own
 * process, an event accepted by ingest and counted in /v1/nps and /metrics, Prometheus (where Debian's package is
 * installed, as CI requires) scraping both with the rules of ops/prometheus, and SIGTERM (as Ctrl-C) stopping
 * everything.
 */
class UpCommandIT {

    @Test
    void shouldRunEverythingAndStopCleanly(@TempDir Path dir) throws Exception {
        int[] ports = Ports.free(4);
        int ingestPort = ports[0];
        int streamsPort = ports[1];
        int prometheusPort = ports[2];
        boolean prometheus = PrometheusConfig.installed() || System.getenv("CXPULSE_REQUIRE_OPS_TOOLS") != null;
        List<String> options = new java.util.ArrayList<>(List.of("--kafka-port", Integer.toString(ports[3]),
                "--ingest-port", Integer.toString(ingestPort), "--streams-port", Integer.toString(streamsPort)));
        if (prometheus) {
            options.addAll(List.of("--with-prometheus", "--prometheus-port", Integer.toString(prometheusPort),
                    "--ops-dir", Path.of("..", "ops").toAbsolutePath().normalize().toString()));
        }
        Path output = dir.resolve("up.out");
        Process up = up(dir, options);
        try {
            assertThat(Files.readString(output)).contains("dev / dev-token")
                    .contains("http://127.0.0.1:" + ingestPort);

            String event = "{\"occurredAt\":\"" + Instant.now().minusSeconds(5) + "\",\"customerId\":\"c-1\","
                    + "\"surveyId\":\"s\",\"metric\":\"NPS\",\"score\":10}";
            HttpResponse<String> response = post(ingestPort, event);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            String nps = "http://127.0.0.1:" + streamsPort + "/v1/nps?window=1h";
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(Http.get(nps)).contains("\"n\":1,", "\"nps\":100.0"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(Http.get("http://127.0.0.1:" + streamsPort + "/metrics"))
                            .contains("cx_nps{channel=\"all\",segment=\"all\",window=\"1h\"} 100.0",
                                    "cx_detractor_alert_evidence{segment=\"all\",severity=\"warning\"} 0.0",
                                    "cx_detractor_alert_open{segment=\"all\",severity=\"critical\"} 0.0"));
            if (prometheus) {
                String api = "http://127.0.0.1:" + prometheusPort + "/api/v1/";
                assertThat(Files.readString(output)).contains("http://127.0.0.1:" + prometheusPort + "/alerts");
                assertThat(Http.get(api + "rules")).contains("\"DetractorRateRising\"", "\"StreamsLagGrowing\"",
                        "segment:cx_nps_drop:z1h");
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                        assertThat(Http.get(api + "query?query=sum(up)")).contains("\"2\"]"));
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                        assertThat(Http.get(api + "query?query=cx_nps%7Bwindow%3D%221h%22%2Csegment%3D%22all%22%2C"
                                + "channel%3D%22all%22%7D")).contains("\"100\"]"));
                checkDashboards(api, ingestPort);
            }
        } finally {
            up.toHandle().destroy();
        }

        assertStoppedCleanly(up, dir);
        if (prometheus) {
            assertThat(Files.readString(output)).contains("Stopping prometheus");
        }
    }

    @Test
    void shouldRunAClusterOfThreeBrokersAndTwoStreamsInstancesThatAnswerAlike(@TempDir Path dir) throws Exception {
        int ingestPort = Ports.free();
        int streamsPort = Ports.freeRun(2);
        Process up = up(dir, List.of("--brokers", "3", "--streams-instances", "2",
                "--kafka-port", Integer.toString(Ports.freeRun(3)), "--ingest-port", Integer.toString(ingestPort),
                "--streams-port", Integer.toString(streamsPort)));
        try {
            StringBuilder events = new StringBuilder("[");
            int[] scores = {10, 9, 8, 3, 0, 10, 7, 6, 1, 2};
            for (int i = 0; i < scores.length; i++) {
                events.append(i == 0 ? "" : ",").append("{\"occurredAt\":\"").append(Instant.now().minusSeconds(5))
                        .append("\",\"customerId\":\"c-").append(i).append("\",\"surveyId\":\"s\",")
                        .append("\"metric\":\"NPS\",\"score\":").append(scores[i]).append(",\"segment\":\"smb\"}");
            }
            HttpResponse<String> response = post(ingestPort, events.append("]").toString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            // promoters 10, 9, 10; passives 8, 7; detractors 3, 0, 6, 1, 2: NPS 30 - 50 = -20. The key lives on
            // one instance, and the other forwards the query to it
            for (int port : List.of(streamsPort, streamsPort + 1)) {
                String nps = "http://127.0.0.1:" + port + "/v1/nps?window=1h&segment=smb";
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(Http.get(nps))
                        .contains("\"n\":10,", "\"promoters\":3,", "\"passives\":2,", "\"nps\":-20.0"));
            }
            // each instance exports the gauges of the keys it owns: together they have the overall figure once
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(List.of(streamsPort, streamsPort + 1)
                    .stream().filter(port -> metrics(port).contains(
                            "cx_nps{channel=\"all\",segment=\"smb\",window=\"1h\"} -20.0")).count()).isEqualTo(1));
        } finally {
            up.toHandle().destroy();
        }
        assertStoppedCleanly(up, dir);
        assertThat(Files.readString(dir.resolve("logs/metrics-streams-2.log"))).contains("metrics-streams stopped");
        assertThat(Files.readString(dir.resolve("logs/broker-3.log"))).contains("Broker stopped.");
        assertThat(Files.readString(dir.resolve("logs/registry.log"))).contains("Registry stopped.");
    }

    /** {@code cxpulse up} with {@code options}, its data under {@code dir}; returns once it says it is up. */
    private static Process up(Path dir, List<String> options) throws Exception {
        Path output = dir.resolve("up.out");
        // a registry port that none of the options' ports (or runs of them) can be
        int registryPort = Arrays.stream(Ports.free(8)).filter(port -> options.stream().noneMatch(option ->
                option.matches("\\d+") && Math.abs(Integer.parseInt(option) - port) < 4)).findFirst().orElseThrow();
        List<String> command = new java.util.ArrayList<>(List.of(java(), "-jar", jar("cli").toString(), "up",
                "--data-dir", dir.resolve("data").toString(), "--registry-port", Integer.toString(registryPort),
                "--platform-jar", jar("local-platform").toString(), "--ingest-jar", jar("ingest-service").toString(),
                "--streams-jar", jar("metrics-streams").toString()));
        command.addAll(options);
        Process up = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (!Files.readString(output).contains("Press Ctrl-C to stop.")) {
            if (!up.isAlive() || System.nanoTime() > deadline) {
                up.toHandle().destroy();
                up.waitFor(90, TimeUnit.SECONDS);
                throw new AssertionError("not up within 180 s: " + Files.readString(output));
            }
            Thread.sleep(200);
        }
        return up;
    }

    private static HttpResponse<String> post(int ingestPort, String body) throws Exception {
        return Http.CLIENT.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + ingestPort + "/v1/survey-responses"))
                .header("Authorization", "Bearer dev-token").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String metrics(int port) {
        try {
            return Http.get("http://127.0.0.1:" + port + "/metrics");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM (as Ctrl-C) stopped every service in order, and no process under {@code dir} is left. */
    private static void assertStoppedCleanly(Process up, Path dir) throws Exception {
        Path output = dir.resolve("up.out");
        assertThat(up.waitFor(90, TimeUnit.SECONDS)).as("stops after SIGTERM").isTrue();
        assertThat(up.exitValue()).as("the JVM's exit status after SIGTERM, 128 + 15; %s", Files.readString(output))
                .isEqualTo(143);
        assertThat(Files.readString(output)).contains("Stopping metrics-streams", "Stopping ingest-service",
                "Stopping local-platform",
                "Stopped.").doesNotContain("unexpectedly");
        assertThat(Files.readString(dir.resolve("logs/ingest-service.log"))).contains("Ingest service stopped");
        assertThat(Files.readString(dir.resolve("logs/metrics-streams.log"))).contains("metrics-streams stopped");
        assertThat(Files.readString(dir.resolve("logs/local-platform.log"))).contains("Local platform stopped.");
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("")
                .contains(dir.toString())).toList()).as("no child left running").isEmpty();
    }

    /**
     * Runs the simulator for 20 s, then every panel query of every dashboard against the Prometheus that scraped
     * it: each must parse and evaluate, and those a short run fills must return data.
     */
    private static void checkDashboards(String api, int ingestPort) throws Exception {
        Process simulate = new ProcessBuilder(java(), "-jar", jar("cli").toString(), "simulate", "--url",
                "http://127.0.0.1:" + ingestPort, "--duration", "20s", "--rate", "200", "--seed", "5")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(simulate.waitFor(90, TimeUnit.SECONDS)).as("simulate ends").isTrue();
        assertThat(simulate.exitValue()).as("simulate's exit status").isZero();
        for (Dashboards.Query query : Dashboards.queries()) {
            String where = query.dashboard() + " / " + query.panel() + ": " + query.expanded();
            await().atMost(Duration.ofSeconds(query.requiresData() ? 90 : 10)).pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(() -> {
                        String answer = Http.get(api + "query?query=" + java.net.URLEncoder.encode(query.expanded(),
                                java.nio.charset.StandardCharsets.UTF_8));
                        assertThat(answer).as(where).contains("\"status\":\"success\"");
                        if (query.requiresData()) {
                            assertThat(answer).as(where + " returns data").doesNotContain("\"result\":[]");
                        }
                    });
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The runnable jar a module built in this reactor run. */
    static Path jar(String module) throws IOException {
        Path target = Path.of("..", module, "target").toAbsolutePath().normalize();
        try (var files = Files.list(target)) {
            List<Path> jars = files.filter(f -> f.getFileName().toString().matches(module + "-.*-all\\.jar")).toList();
            assertThat(jars).as("runnable jar of %s in %s", module, target).hasSize(1);
            return jars.get(0);
        }
    }
}
