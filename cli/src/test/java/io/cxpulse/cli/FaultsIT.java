package io.cxpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every fault of {@code bench faults}, in its bounded form, against three brokers, the registry, ingest and two
 * metrics-streams instances in their own processes: no acknowledged event lost, none counted twice, and no query
 * answered with wrong figures.
 */
class FaultsIT {

    @Test
    void shouldLoseNothingAndCountNothingTwiceThroughEveryFault(@TempDir Path dir) throws Exception {
        ServiceJars jars = new ServiceJars();
        jars.ingestJar = UpCommandIT.jar("ingest-service");
        jars.streamsJar = UpCommandIT.jar("metrics-streams");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<FaultSuite.Row> rows = new ArrayList<>();
        try (PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
                FaultSuite suite = new FaultSuite(jars, dir, FaultSuite.Timing.bounded(), out)) {
            suite.start();
            for (String fault : FaultSuite.FAULTS) {
                rows.add(suite.run(fault));
            }
        } finally {
            System.out.println(log.toString(StandardCharsets.UTF_8));
            System.out.println(BenchFaultsCommand.table(rows));
        }
        assertThat(rows).extracting(FaultSuite.Row::fault).containsExactlyElementsOf(FaultSuite.FAULTS);
        for (FaultSuite.Row row : rows) {
            assertThat(row.problems()).as("%s", row.fault()).isEmpty();
            assertThat(row.sent()).as("%s: events sent", row.fault()).isPositive();
            assertThat(row.acknowledged()).as("%s: acknowledged", row.fault()).isEqualTo(row.sent());
            assertThat(row.lost()).as("%s: lost", row.fault()).isZero();
            assertThat(row.doubled()).as("%s: counted twice", row.fault()).isZero();
            assertThat(row.counted()).as("%s: counted", row.fault()).isEqualTo(row.sent());
            assertThat(row.wrong()).as("%s: wrong answers", row.fault()).isZero();
        }
        // the faults happened: a killed broker and a cluster out of reach make ingest answer 503 and the emitter
        // send again; the queries during a rebalance meet 503s
        assertThat(row(rows, "broker-kill").retried() + row(rows, "cluster-unreachable").retried()).isPositive();
        assertThat(row(rows, "cluster-unreachable").longestIngestGap()).isGreaterThanOrEqualTo(
                FaultSuite.Timing.bounded().outage().minusSeconds(2));
        assertThat(row(rows, "streams-kill").answersBack()).isPositive();
    }

    private static FaultSuite.Row row(List<FaultSuite.Row> rows, String fault) {
        return rows.stream().filter(r -> r.fault().equals(fault)).findFirst().orElseThrow();
    }
}
