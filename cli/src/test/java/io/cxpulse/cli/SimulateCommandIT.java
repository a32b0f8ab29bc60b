package io.cxpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.cxpulse.common.LayeredConfig;
import io.cxpulse.ingest.IngestService;
import io.cxpulse.ingest.config.IngestConfig;
import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.platform.junit.LocalPlatformExtension;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import picocli.CommandLine;

/** {@code cxpulse simulate} against a real ingest service: everything it sends is accepted and stored. */
@ExtendWith(LocalPlatformExtension.class)
class SimulateCommandIT {
    static final Pattern SUMMARY = Pattern.compile("Sent (\\d+) events in (\\d+) requests over [\\d.]+ s: (\\d+) "
            + "accepted, (\\d+) rejected, (\\d+) not stored");

    @Test
    void shouldSendRealisticTrafficThatIngestAccepts(LocalPlatform platform) {
        Map<String, String> settings = new HashMap<>(IngestConfig.defaults());
        settings.put("http.port", "0");
        settings.put("http.drain.delay", "PT0S");
        settings.put("ingest.tokens", "sim:sim-token");
        settings.put("kafka.bootstrap.servers", platform.bootstrapServers());
        settings.put("schema.registry.url", platform.schemaRegistryUrl());
        try (IngestService ingest = IngestService.start(IngestConfig.from(LayeredConfig.of(settings)),
                Clock.systemUTC())) {
            Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(ingest::schemasRegistered);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream original = System.out;
            int exit;
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            try {
                exit = new CommandLine(new CxPulse()).execute("simulate", "--url", ingest.url(), "--token",
                        "sim-token", "--rate", "300", "--duration", "4s");
            } finally {
                System.setOut(original);
            }
            String output = out.toString(StandardCharsets.UTF_8);

            assertThat(exit).as(output).isZero();
            assertThat(output).contains("events/s");
            Matcher summary = SUMMARY.matcher(output);
            assertThat(summary.find()).as(output).isTrue();
            long sent = Long.parseLong(summary.group(1));
            assertThat(sent).isBetween(900L, 1_400L);
            assertThat(Long.parseLong(summary.group(3))).isEqualTo(sent);
            assertThat(Long.parseLong(summary.group(4))).isZero();
            assertThat(Long.parseLong(summary.group(5))).isZero();
        }
    }
}
