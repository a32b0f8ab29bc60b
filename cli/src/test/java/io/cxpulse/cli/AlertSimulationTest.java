package io.cxpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

import io.cxpulse.cli.AlertSimulation.Episode;
import io.cxpulse.cli.AlertSimulation.Traffic;
import io.cxpulse.streams.alert.ShareAlertRule;
import io.cxpulse.streams.alert.ShareAlertRule.Level;
import io.cxpulse.streams.alert.ShareAlertRule.Severity;

import org.junit.jupiter.api.Test;

class AlertSimulationTest {
    private static final ShareAlertRule DEFAULTS = new ShareAlertRule(new Level(0.10, 10), new Level(0.20, 14), 200,
            Duration.ofHours(6));

    @Test
    void shouldDrawPoissonCountsWithTheirMean() {
        SplittableRandom random = new SplittableRandom(1);
        long sum = 0;
        for (int i = 0; i < 100_000; i++) {
            sum += AlertSimulation.poisson(random, 5);
        }

        assertThat(sum / 100_000.0).isCloseTo(5, within(0.05));
    }

    @Test
    void shouldFindALargeRiseWithinMinutesAndResolveAfterIt() {
        // 600 an hour, 10 % detractors, then 60 % from 14:00 to 16:00 of the first day
        Traffic traffic = new Traffic(600, 0.10, 0.50, 14 * 60, 16 * 60);

        List<Episode> episodes = new AlertSimulation(DEFAULTS).run(traffic, 1, 7);

        assertThat(episodes).filteredOn(episode -> episode.severity() == Severity.CRITICAL).singleElement()
                .satisfies(page -> {
                    assertThat(page.opened()).isBetween(14 * 60, 14 * 60 + 10);
                    assertThat(page.resolved()).isGreaterThan(16 * 60);
                });
        assertThat(episodes).filteredOn(episode -> episode.severity() == Severity.WARNING).singleElement()
                .satisfies(warning -> assertThat(warning.opened()).isBetween(14 * 60, 14 * 60 + 10));
    }

    @Test
    void shouldCountTheFalseAlarmsOfATooEagerThreshold() {
        // 2 nats instead of 10: a likelihood ratio of 7.4 is found by chance many times a day
        ShareAlertRule eager = new ShareAlertRule(new Level(0.10, 2), new Level(0.20, 14), 200, Duration.ofHours(6));

        List<Episode> eagerEpisodes = new AlertSimulation(eager).run(Traffic.stationary(120, 0.10), 3, 11);
        List<Episode> defaultEpisodes = new AlertSimulation(DEFAULTS).run(Traffic.stationary(120, 0.10), 3, 11);

        assertThat(eagerEpisodes).filteredOn(episode -> episode.severity() == Severity.WARNING).hasSizeGreaterThan(5);
        assertThat(defaultEpisodes).isEmpty();
    }

    @Test
    void shouldLetTheBestPossibleDetectorFindARiseSoonerThanTheRuleAndStayQuietWithoutOne() {
        Traffic rise = new Traffic(120, 0.10, 0.20, 14 * 60, 26 * 60);
        AlertSimulation.Counts counts = AlertSimulation.draw(rise, 2, 5);

        List<Integer> alarms = AlertSimulation.oracle(counts, rise, 0.20, 8);
        int rule = new AlertSimulation(DEFAULTS).run(counts).stream()
                .filter(episode -> episode.severity() == Severity.WARNING && episode.opened() >= 14 * 60)
                .mapToInt(Episode::opened).findFirst().orElseThrow();

        assertThat(alarms).filteredOn(alarm -> alarm >= 14 * 60).first().satisfies(first ->
                assertThat(first).isBetween(14 * 60, rule));
        assertThat(AlertSimulation.oracle(AlertSimulation.draw(Traffic.stationary(120, 0.10), 3, 5),
                Traffic.stationary(120, 0.10), 0.20, 8)).isEmpty();
    }
}
