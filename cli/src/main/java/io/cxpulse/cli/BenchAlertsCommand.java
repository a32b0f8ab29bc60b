package io.cxpulse.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashMap;
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

    @Option(names = "--replay-days", defaultValue = "14", description = "Days of the segments replayed through a "
            + "real Prometheus and the rules in --ops-dir, 3 per volume (0: none; default: ${DEFAULT-VALUE}).")
    private int replayDays;

    @Option(names = "--ops-dir", defaultValue = "${env:CXPULSE_OPS_DIR:-ops}",
            description = "Where the Prometheus rules are (default: ${DEFAULT-VALUE}).")
    private Path opsDir;

    @Option(names = "--set", description = "A metrics-streams setting, KEY=VALUE (repeatable), such as "
            + "survey.alerts.warning.evidence=12.")
    private Map<String, String> settings = Map.of();

    @Override
    public Integer call() throws Exception {
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
        if (replayDays > 0) {
            replay(out, rule, simulation);
        }
        out.flush();
        return 0;
    }

    /**
     * Replays, per volume, a stationary segment and two with a rise (10 points on day 4, 20 on day 10, each for 12
     * hours from 10:00) through a real Prometheus: do its alerts agree with the stream's, and how does NpsDropped do.
     */
    private void replay(PrintWriter out, ShareAlertRule rule, AlertSimulation simulation) throws Exception {
        if (!PrometheusReplay.available()) {
            out.println("\nThe Prometheus replay needs prometheus and promtool on the PATH: skipped.");
            return;
        }
        if (!Files.isRegularFile(opsDir.resolve("prometheus/rules/alerts.yml"))) {
            out.println("\nNo Prometheus rules in " + opsDir.toAbsolutePath() + " (set --ops-dir): the replay is "
                    + "skipped.");
            return;
        }
        int day = AlertSimulation.MINUTES_PER_DAY;
        List<PrometheusReplay.Segment> replayed = new ArrayList<>();
        Map<String, List<Episode>> streamEpisodes = new TreeMap<>();
        for (int volume : volumes) {
            Map<String, Traffic> traffic = new LinkedHashMap<>();
            traffic.put("s" + volume, Traffic.stationary(volume, share));
            traffic.put("r10x" + volume, new Traffic(volume, share, 0.10, 4 * day + 600, 4 * day + 600 + HORIZON));
            traffic.put("r20x" + volume, new Traffic(volume, share, 0.20, 10 * day + 600,
                    10 * day + 600 + HORIZON));
            for (Map.Entry<String, Traffic> segment : traffic.entrySet()) {
                Counts counts = AlertSimulation.draw(segment.getValue(), replayDays,
                        seed + segment.getKey().hashCode());
                AlertSimulation.Trace trace = AlertSimulation.Trace.of(replayDays * day);
                streamEpisodes.put(segment.getKey(), simulation.run(counts, trace));
                replayed.add(new PrometheusReplay.Segment(segment.getKey(), counts, trace));
            }
        }
        Path dir = Files.createTempDirectory("cxpulse-bench-alerts");
        long start = (System.currentTimeMillis() / 1000 / 86_400 - replayDays - 10) * 86_400;
        int warmup = replayed.get(0).counts().warmup();
        try (PrometheusReplay prometheus = new PrometheusReplay(opsDir, dir, start)) {
            prometheus.load(replayed);
            out.printf(Locale.ROOT, "%nReplayed through Prometheus (%d days per segment, evaluated every minute): "
                    + "the stream's alert episodes against the ones Prometheus fires on the same data (matched when "
                    + "Prometheus fires within 2 minutes of the stream opening), and NpsDropped.%n%n", replayDays);
            out.println("| segment | stream warnings | Prometheus warnings | matched | stream pages "
                    + "| Prometheus pages | matched | NpsDropped firings (first after the rise) |");
            out.println("|---|---|---|---|---|---|---|---|");
            int to = replayDays * day;
            Map<String, PrometheusReplay.Firing> warnings = prometheus.firings("DetractorRateRising", "warning",
                    warmup, 0, to);
            Map<String, PrometheusReplay.Firing> pages = prometheus.firings("DetractorRateRising", "critical",
                    warmup, 0, to);
            Map<String, PrometheusReplay.Firing> nps = prometheus.firings("NpsDropped", "warning", warmup, 0, to);
            for (PrometheusReplay.Segment segment : replayed) {
                String name = segment.name();
                List<Integer> streamWarnings = opened(streamEpisodes.get(name), Severity.WARNING);
                List<Integer> streamPages = opened(streamEpisodes.get(name), Severity.CRITICAL);
                List<Integer> promWarnings = starts(warnings, name);
                List<Integer> promPages = starts(pages, name);
                List<Integer> npsStarts = starts(nps, name);
                int riseStart = name.startsWith("r10") ? 4 * day + 600 : name.startsWith("r20") ? 10 * day + 600
                        : -1;
                String npsDelay = riseStart < 0 ? "" : npsStarts.stream().filter(m -> m >= riseStart).findFirst()
                        .map(m -> " (" + minutes(m - riseStart) + " after)").orElse(" (none after)");
                out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %d%s |%n", name, streamWarnings.size(),
                        promWarnings.size(), matched(streamWarnings, promWarnings), streamPages.size(),
                        promPages.size(), matched(streamPages, promPages), npsStarts.size(), npsDelay);
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static List<Integer> opened(List<Episode> episodes, Severity severity) {
        return episodes.stream().filter(episode -> episode.severity() == severity).map(Episode::opened).toList();
    }

    private static List<Integer> starts(Map<String, PrometheusReplay.Firing> firings, String segment) {
        PrometheusReplay.Firing firing = firings.get(segment);
        return firing == null ? List.of() : firing.starts();
    }

    /** How many of the stream's openings Prometheus fired for within 2 minutes after. */
    private static long matched(List<Integer> stream, List<Integer> prometheus) {
        return stream.stream().filter(open -> prometheus.stream().anyMatch(m -> m >= open && m <= open + 2))
                .count();
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
