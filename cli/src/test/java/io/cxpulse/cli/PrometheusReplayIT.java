package io.cxpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.cxpulse.cli.AlertSimulation.Counts;
import io.cxpulse.cli.AlertSimulation.Episode;
import io.cxpulse.cli.AlertSimulation.Trace;
import io.cxpulse.cli.AlertSimulation.Traffic;
import io.cxpulse.streams.alert.ShareAlertRule;
import io.cxpulse.streams.alert.ShareAlertRule.Level;
import io.cxpulse.streams.alert.ShareAlertRule.Severity;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules of ops/prometheus, replayed by a real Prometheus, fire when the stream's rule opens, and only then. */
class PrometheusReplayIT {
    private static final Path OPS = Path.of("..", "ops").toAbsolutePath().normalize();

    @Test
    void shouldFireDetractorRateRisingWhenTheStreamOpensItsAlert(@TempDir Path dir) throws Exception {
        if (!PrometheusReplay.available() && System.getenv("CXPULSE_REQUIRE_OPS_TOOLS") == null) {
            Assumptions.abort("prometheus and promtool are not installed");
        }
        ShareAlertRule rule = new ShareAlertRule(new Level(0.10, 10), new Level(0.20, 14), 200, Duration.ofHours(6));
        // 600 responses an hour; on the day after the warm-up, detractors go from 10 % to 40 % from 10:00 to 13:00
        Counts counts = AlertSimulation.draw(new Traffic(600, 0.10, 0.30, 600, 780), 1, 42);
        Trace trace = Trace.of(AlertSimulation.MINUTES_PER_DAY);
        List<Episode> stream = new AlertSimulation(rule).run(counts, trace);
        assertThat(stream).extracting(Episode::severity).contains(Severity.WARNING, Severity.CRITICAL);

        long start = (System.currentTimeMillis() / 1000 / 86_400 - 20) * 86_400;
        try (PrometheusReplay replay = new PrometheusReplay(OPS, dir, start)) {
            replay.load(List.of(new PrometheusReplay.Segment("smb", counts, trace)));
            for (Severity severity : Severity.values()) {
                Map<String, PrometheusReplay.Firing> firings = replay.firings("DetractorRateRising",
                        severity.label(), counts.warmup(), 0, AlertSimulation.MINUTES_PER_DAY);
                List<Integer> opened = stream.stream().filter(episode -> episode.severity() == severity)
                        .map(Episode::opened).toList();

                assertThat(firings.get("smb").starts()).as(severity.label()).hasSameSizeAs(opened)
                        .allSatisfy(fired -> assertThat(opened).anySatisfy(open ->
                                assertThat(fired - open).isBetween(0, 2)));
            }
        }
    }

    @Test
    void shouldWriteRecordingRulesOutInPlace(@TempDir Path dir) throws Exception {
        PrometheusReplay replay = new PrometheusReplay(OPS, dir, 0);

        String expanded = replay.expand("segment:cx_nps_drop:z1h > 3.5");

        assertThat(expanded).doesNotContain("segment:cx_").contains("increase(cx_survey_responses_total",
                "offset 1h");
    }
}
