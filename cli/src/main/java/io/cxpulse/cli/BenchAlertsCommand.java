package io.cxpulse.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

import io.cxpulse.cli.AlertSimulation.Counts;
import io.cxpulse.cli.AlertSimulation.Episode;
import io.cxpulse.cli.AlertSimulation.Traffic;
import io.cxpulse.streams.alert.ShareAlertRule;
import io.cxpulse.streams.alert.ShareAlertRule.Severity;
import io.cxpulse.streams.survey.SurveySettings;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Measures the detractor alert's quality with metrics-streams' own rule (its default settings, or those given): on
 * stationary traffic with daily seasonality, the false warnings and pages per segment per 30 days at each volume;
 * with a rise of the detractor share injected at a random time, the share of rises detected within 12 hours, the
 * delay until the first alert, and the time it takes to resolve once the rise is over; and, as the baseline of the
 * same run, the delays of the best possible detector on the same traffic.
 */
@Command(name = "alerts", mixinStandardHelpOptions = true,
        description = "Measure the detractor alerts' false alarms and detection delays on simulated traffic.")
final class BenchAlertsCommand implements Callable<Integer> {
    private static final int HORIZON = 12 * 60;
    private static final double[] RISES = {0.10, 0.20};

    @Spec
    private CommandSpec spec;

    @Option(names = "--volumes", split = ",", defaultValue = "30,60,120,600",
            description = "Responses an hour per segment, on average over the day (default: ${DEFAULT-VALUE}).")
    private List<Integer> volumes;

    @Option(names = "--segments", defaultValue = "20",
            description = "Stationary segments simulated per volume (default: ${DEFAULT-VALUE}).")
    private int segments;

    @Option(names = "--days", defaultValue = "30",
            description = "Days simulated per stationary segment, after 7 of baseline (default: ${DEFAULT-VALUE}).")
    private int days;

    @Option(names = "--trials", defaultValue = "200",
            description = "Injected rises per volume and size (default: ${DEFAULT-VALUE}).")
    private int trials;

    @Option(names = "--share", defaultValue = "0.10",
            description = "The detractor share of stationary traffic (default: ${DEFAULT-VALUE}).")
    private double share;

    @Option(names = "--seed", defaultValue = "20261206", description = "Random seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--set", description = "A metrics-streams setting, KEY=VALUE (repeatable), such as "
            + "survey.alerts.warning.evidence=12.")
    private Map<String, String> settings = Map.of();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ShareAlertRule rule = SurveySettings.with(settings).alerts();
        AlertSimulation simulation = new AlertSimulation(rule);
        out.printf(Locale.ROOT, "Detractor alerts: warning on a %.0f-point rise above %.0f nats, page on %.0f points "
                + "above %.0f; memory %s; baseline at least %d responses%n", 100 * rule.warning().rise(),
                rule.warning().threshold(), 100 * rule.page().rise(), rule.page().threshold(), rule.memory(),
                rule.minBaseline());
        out.printf(Locale.ROOT, "Stationary traffic: %d segments x %d days per volume, %.0f %% detractors, daily "
                + "seasonality%n%n", segments, days, 100 * share);
        out.println("| responses/h | false warnings per segment per 30 days (max) | false pages (max) |");
        out.println("|---|---|---|");
        double[] falseWarnings = new double[volumes.size()];
        Map<Integer, Map<Double, Double>> oracleThresholds = new TreeMap<>();
        for (int v = 0; v < volumes.size(); v++) {
            int volume = volumes.get(v);
            Traffic traffic = Traffic.stationary(volume, share);
            List<Counts> runs = IntStream.range(0, segments).parallel()
                    .mapToObj(s -> AlertSimulation.draw(traffic, days, seed + 1000L * volume + s)).toList();
            List<List<Episode>> episodes = runs.parallelStream().map(simulation::run).toList();
            long[] warnings = episodes.stream().mapToLong(run -> count(run, Severity.WARNING)).toArray();
            long[] pages = episodes.stream().mapToLong(run -> count(run, Severity.CRITICAL)).toArray();
            double scale = 30.0 / days;
            falseWarnings[v] = scale * Arrays.stream(warnings).average().orElse(0);
            out.printf(Locale.ROOT, "| %d | %.2f (%d) | %.2f (%d) |%n", volume, falseWarnings[v],
                    Arrays.stream(warnings).max().orElse(0), scale * Arrays.stream(pages).average().orElse(0),
                    Arrays.stream(pages).max().orElse(0));
            Map<Double, Double> thresholds = new TreeMap<>();
            for (double rise : RISES) {
                thresholds.put(rise, calibrate(runs, traffic, rise, scale));
            }
            oracleThresholds.put(volume, thresholds);
        }
        out.printf(Locale.ROOT, "%nRises: %d per volume and size, each starting at a random minute and lasting 12 "
                + "hours; detected = an alert of the level within 12 hours. Precision assumes one rise per segment "
                + "per 30 days. Best possible: on the same traffic, a CUSUM told the true baseline of each minute and "
                + "the true rise, its threshold the lowest that gives at most 1 false alarm per segment per 30 days "
                + "on the stationary runs above (the threshold in brackets).%n%n", trials);
        out.println("| responses/h | rise | level | recall | precision | detection p50 | detection p90 "
                + "| reset p50 | best possible p50 / p90 |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        for (int v = 0; v < volumes.size(); v++) {
            int volume = volumes.get(v);
            for (double rise : RISES) {
                List<Severity> levels = rise < 0.15 ? List.of(Severity.WARNING)
                        : List.of(Severity.WARNING, Severity.CRITICAL);
                for (Severity severity : levels) {
                    row(out, simulation, volume, rise, severity,
                            severity == Severity.WARNING ? falseWarnings[v] : 0,
                            oracleThresholds.get(volume).get(rise));
                }
            }
        }
        out.flush();
        return 0;
    }

    /** The lowest oracle threshold (by 0.25 nats) with at most 1 false alarm per segment per 30 days. */
    private static double calibrate(List<Counts> runs, Traffic traffic, double rise, double scale) {
        for (double threshold = 2; threshold < 30; threshold += 0.25) {
            double h = threshold;
            double alarms = runs.parallelStream().mapToInt(run -> AlertSimulation.oracle(run, traffic, rise, h)
                    .size()).average().orElse(0) * scale;
            if (alarms <= 1) {
                return threshold;
            }
        }
        return Double.NaN;
    }

    private void row(PrintWriter out, AlertSimulation simulation, int volume, double rise, Severity severity,
            double falsePer30Days, double oracleThreshold) {
        List<int[]> outcomes = IntStream.range(0, trials).parallel().mapToObj(trial -> {
            long trialSeed = seed + 7919L * trial + Math.round(rise * 100) * 104_729L + volume;
            int start = (int) Math.floorMod(trialSeed * 2_654_435_761L, (long) AlertSimulation.MINUTES_PER_DAY);
            Traffic traffic = new Traffic(volume, share, rise, start, start + HORIZON);
            Counts counts = AlertSimulation.draw(traffic, 2, trialSeed);
            int[] outcome = {-1, -1, -1};
            for (Episode episode : simulation.run(counts)) {
                if (episode.severity() == severity && episode.opened() >= start
                        && episode.opened() < start + HORIZON) {
                    outcome[0] = episode.opened() - start;
                    outcome[1] = episode.resolved() < 0 ? Integer.MAX_VALUE
                            : Math.max(0, episode.resolved() - (start + HORIZON));
                    break;
                }
            }
            for (int alarm : AlertSimulation.oracle(counts, traffic, rise, oracleThreshold)) {
                if (alarm >= start && alarm < start + HORIZON) {
                    outcome[2] = alarm - start;
                    break;
                }
            }
            return outcome;
        }).toList();
        List<Integer> delays = new ArrayList<>();
        List<Integer> resets = new ArrayList<>();
        List<Integer> best = new ArrayList<>();
        for (int[] outcome : outcomes) {
            if (outcome[0] >= 0) {
                delays.add(outcome[0]);
                resets.add(outcome[1]);
            }
            best.add(outcome[2] < 0 ? Integer.MAX_VALUE : outcome[2]);
        }
        double recall = (double) delays.size() / trials;
        double precision = recall + falsePer30Days == 0 ? 0 : recall / (recall + falsePer30Days);
        out.printf(Locale.ROOT, "| %d | +%.0f | %s | %.2f | %.2f | %s | %s | %s | %s / %s (%.2f) |%n", volume,
                100 * rise, severity.label(), recall, precision, minutes(percentile(delays, 0.5)),
                minutes(percentile(delays, 0.9)), minutes(percentile(resets, 0.5)), minutes(percentile(best, 0.5)),
                minutes(percentile(best, 0.9)), oracleThreshold);
    }

    private static long count(List<Episode> run, Severity severity) {
        return run.stream().filter(episode -> episode.severity() == severity).count();
    }

    /** The {@code q} quantile (nearest rank) of {@code values}, or -1 when there are none. */
    static int percentile(List<Integer> values, double q) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Integer> sorted = values.stream().sorted().toList();
        return sorted.get(Math.max(0, (int) Math.ceil(q * sorted.size()) - 1));
    }

    private static String minutes(int minutes) {
        if (minutes < 0) {
            return "-";
        }
        if (minutes == Integer.MAX_VALUE) {
            return "> 12 h";
        }
        return minutes < 120 ? minutes + " min" : String.format(Locale.ROOT, "%.1f h", minutes / 60.0);
    }
}
