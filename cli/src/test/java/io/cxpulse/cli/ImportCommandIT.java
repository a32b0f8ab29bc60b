package io.cxpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.cxpulse.common.LayeredConfig;
import io.cxpulse.ingest.IngestService;
import io.cxpulse.ingest.config.IngestConfig;
import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.platform.junit.LocalPlatformExtension;
import io.cxpulse.streams.MetricsStreamsApp;
import io.cxpulse.streams.MetricsStreamsConfig;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code cxpulse import} against a real stack (brokers, registry, ingest, metrics-streams): a survey platform's
 * export of three days ago, with its own column names, local times and bad rows, imported twice. The figures are
 * counted by hand from the rows below.
 */
@ExtendWith(LocalPlatformExtension.class)
class ImportCommandIT {
    private static final Pattern SUMMARY = Pattern.compile("Read (\\d+) rows from .*: (\\d+) accepted, (\\d+) "
            + "rejected, (\\d+) not stored");

    @TempDir
    Path dir;

    @Test
    void shouldImportAnExportOnceHoweverOftenItIsRun(LocalPlatform platform) throws Exception {
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(3);
        // Paris is an hour ahead of UTC in winter and two in summer: the responses are at 07:00-08:45 UTC or so
        Path export = dir.resolve("nps-export.csv");
        Files.writeString(export, String.join("\n",
                "Response ID,Submitted At,Customer,How likely are you to recommend us?,Plan,Segment",
                "r1," + day + " 10:00:00,c-1,10,pro,smb",
                "r2," + day + " 10:05:00,c-2,9,free,smb",
                "r3," + day + " 10:10:00,c-3,7,,enterprise",
                "r4," + day + " 10:15:00,c-4,3,pro,",
                "r5," + day + " 10:20:00,c-5,0,free,smb",
                "r6," + day + " 10:25:00,c-6,8,,smb",
                "r7," + day + " 10:30:00,c-7,11,,",
                "r8," + day + " 10:35:00,,9,,",
                "r9," + day + " 10:40:00,c-9,ten,,",
                "r10," + day + " 10:45:00,c-10,9,,all") + "\n");
        try (IngestService ingest = startIngest(platform); MetricsStreamsApp streams = startStreams(platform)) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(ingest::schemasRegistered);
            Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> Http.ok(streams.url() + "/health/ready"));
            String[] args = {"import", "surveys", export.toString(), "--url", ingest.url(), "--token", "imp-token",
                    "--id-column", "Response ID", "--map", "occurredAt=Submitted At", "--map", "customerId=Customer",
                    "--map", "score=How likely are you to recommend us?", "--map", "attributes.plan=Plan",
                    "--map", "segment=Segment", "--value", "metric=NPS", "--value", "surveyId=nps-q4",
                    "--zone", "Europe/Paris", "--batch", "4"};

            for (int run = 1; run <= 2; run++) {
                Run result = run(args);
                assertThat(result.exit()).as(result.output()).isEqualTo(3);
                Matcher summary = SUMMARY.matcher(result.output());
                assertThat(summary.find()).as(result.output()).isTrue();
                assertThat(List.of(summary.group(1), summary.group(2), summary.group(3), summary.group(4)))
                        .containsExactly("10", "6", "4", "0");
                assertThat(result.errors()).contains("100% [").doesNotContain("Ignoring columns");
                List<String> rejected = Files.readAllLines(dir.resolve("nps-export.csv.rejected.csv"));
                assertThat(rejected.get(0)).isEqualTo("line,field,reason");
                assertThat(rejected.subList(1, rejected.size())).extracting(line -> line.substring(0,
                        line.indexOf(',', line.indexOf(',') + 1))).containsExactly("8,score", "9,customerId",
                        "10,score", "11,segment");
                int imported = run;
                // two promoters, two passives, two detractors: NPS 0, counted once however often it is run
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> {
                            JsonNode nps = get(streams.url() + "/v1/nps?window=24h&at=" + day + "T12:00:00Z");
                            assertThat(nps.path("n").asLong()).isEqualTo(6);
                            assertThat(nps.path("nps").asDouble()).isZero();
                            assertThat(duplicates(streams)).isEqualTo(6.0 * (imported - 1));
                        });
            }
            JsonNode segment = get(streams.url() + "/v1/nps?window=24h&segment=smb&at=" + day + "T12:00:00Z");
            assertThat(segment.path("n").asLong()).isEqualTo(4);

            // a file that stops being CSV: the rows before are sent, the rest is refused with where and why
            Path broken = dir.resolve("broken.csv");
            Files.writeString(broken, "Response ID,Submitted At,Customer,score\nb1," + day
                    + " 11:00:00,c-1,9\nb2,\"" + day + " 11:05:00,c-2,9\n");
            Run result = run("import", "surveys", broken.toString(), "--url", ingest.url(), "--token", "imp-token",
                    "--map", "occurredAt=Submitted At", "--map", "customerId=Customer", "--value", "metric=NPS",
                    "--value", "surveyId=nps-q4", "--zone", "Europe/Paris");
            assertThat(result.exit()).as(result.errors()).isEqualTo(2);
            assertThat(result.errors()).contains("broken.csv is not valid csv at line");
            assertThat(result.output()).contains("Read 1 rows from " + broken + ": 1 accepted, 0 rejected");
        }
    }

    private record Run(int exit, String output, String errors) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = new CommandLine(new CxPulse()).execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    private static IngestService startIngest(LocalPlatform platform) {
        Map<String, String> settings = new HashMap<>(IngestConfig.defaults());
        settings.put("http.port", "0");
        settings.put("http.drain.delay", "PT0S");
        settings.put("ingest.tokens", "imp:imp-token");
        settings.put("kafka.bootstrap.servers", platform.bootstrapServers());
        settings.put("schema.registry.url", platform.schemaRegistryUrl());
        return IngestService.start(IngestConfig.from(LayeredConfig.of(settings)), Clock.systemUTC());
    }

    private MetricsStreamsApp startStreams(LocalPlatform platform) {
        Map<String, String> settings = new HashMap<>(MetricsStreamsConfig.defaults());
        settings.put("http.port", "0");
        settings.put("http.drain.delay", "PT0S");
        settings.put("application.id", "import-it-" + UUID.randomUUID());
        settings.put("state.dir", dir.resolve("state").toString());
        settings.put("kafka.bootstrap.servers", platform.bootstrapServers());
        settings.put("schema.registry.url", platform.schemaRegistryUrl());
        settings.put("kafka.commit.interval.ms", "200");
        return MetricsStreamsApp.start(MetricsStreamsConfig.from(LayeredConfig.of(settings)));
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> response = Http.CLIENT.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return ImportCommand.JSON.readTree(response.body());
    }

    /** The survey responses metrics-streams dropped as already counted. */
    private static double duplicates(MetricsStreamsApp streams) throws Exception {
        String metrics = Http.CLIENT.send(HttpRequest.newBuilder(URI.create(streams.url() + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(line -> line.startsWith("cx_duplicate_events_total{")
                        && line.contains("type=\"survey_response\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

}
