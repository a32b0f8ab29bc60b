package io.cxpulse.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.cxpulse.platform.Directories;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cxpulse bench faults}: every fault of {@link FaultSuite} injected into a running cluster under an audited
 * load, and a table of what was sent, acknowledged, counted, lost and counted twice, and how long recovery took.
 */
@Command(name = "faults", mixinStandardHelpOptions = true,
        description = "Inject faults (a broker killed, a metrics-streams instance killed, instances added and "
                + "removed, the registry stopped, a state directory lost, the cluster unreachable) under an "
                + "audited load and report what was lost or counted twice.")
final class BenchFaultsCommand implements Callable<Integer> {

    @Option(names = "--faults", split = ",", description = "The faults to run, in order (default: all: "
            + "none, broker-kill, streams-kill, scale-out-and-in, registry-stop, state-loss, cluster-unreachable).")
    List<String> faults;

    @Option(names = "--bounded", description = "The short form CI runs: brief phases at a lower rate, a 1 s drain "
            + "before a stop and a 15 s session timeout.")
    boolean bounded;

    @Option(names = "--rate", description = "Events per second (default: 400, bounded 150).")
    Double rate;

    @Option(names = "--outage", converter = DurationConverter.class,
            description = "How long every broker is unreachable (default: 60s, bounded 20s).")
    Duration outage;

    @Option(names = "--keep", description = "Keep the data and logs directory afterwards.")
    boolean keep;

    @Mixin
    ServiceJars jars;

    @Override
    public Integer call() throws Exception {
        FaultSuite.Timing timing = bounded ? FaultSuite.Timing.bounded() : FaultSuite.Timing.full();
        timing = timing.withRate(rate == null ? timing.rate() : rate)
                .withOutage(outage == null ? timing.outage() : outage);
        List<String> chosen = faults == null ? FaultSuite.FAULTS : faults;
        for (String fault : chosen) {
            if (!FaultSuite.FAULTS.contains(fault)) {
                System.err.println("No fault " + fault + "; the faults are " + String.join(", ", FaultSuite.FAULTS));
                return 2;
            }
        }
        Path dir = Files.createTempDirectory("cxpulse-faults");
        System.out.println("Machine: " + Runtime.getRuntime().availableProcessors() + " cores; data and logs under "
                + dir);
        List<FaultSuite.Row> rows = new ArrayList<>();
        try (FaultSuite suite = new FaultSuite(jars, dir, timing, System.out)) {
            suite.start();
            for (String fault : chosen) {
                rows.add(suite.run(fault));
            }
        } finally {
            System.out.println();
            System.out.print(table(rows));
            if (!keep && rows.stream().allMatch(FaultSuite.Row::passed)) {
                Directories.deleteRecursively(dir);
            } else {
                System.out.println("Logs: " + dir.resolve("logs"));
            }
        }
        return rows.stream().allMatch(FaultSuite.Row::passed) ? 0 : 1;
    }

    /** The results as a Markdown table. */
    static String table(List<FaultSuite.Row> rows) {
        StringBuilder out = new StringBuilder("| fault | events sent | acknowledged | sent again | counted | lost "
                + "| counted twice | longest ingest gap | answers back | queries: 503 / wrong | exact after |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (FaultSuite.Row row : rows) {
            out.append(String.format("| %s | %,d | %,d | %,d | %,d | %d | %d | %s | %s | %d / %d of %,d | %s |%n",
                    row.fault(), row.sent(), row.acknowledged(), row.retried(), row.counted(), row.lost(),
                    row.doubled(), seconds(row.longestIngestGap()), seconds(row.answersBack()), row.notReady(),
                    row.wrong(), row.probes(), seconds(row.exactAfter())));
        }
        for (FaultSuite.Row row : rows) {
            row.problems().forEach(problem -> out.append("- ").append(row.fault()).append(": ").append(problem)
                    .append('\n'));
        }
        return out.toString();
    }

    private static String seconds(Duration duration) {
        return String.format("%.1f s", duration.toMillis() / 1000.0);
    }
}
