package io.cxpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code bench streams}: its options are checked before anything is started ({@code --set} as metrics-streams checks
 * its settings), and the round it reports is the one with the median ratio.
 */
class BenchStreamsCommandTest {
    private final StringWriter errors = new StringWriter();

    private int run(String... args) {
        CommandLine command = new CommandLine(new BenchStreamsCommand());
        command.setErr(new PrintWriter(errors, true));
        return command.execute(args);
    }

    @Test
    void shouldRefuseAnUnknownSetting() {
        assertThat(run("--ingest-jar", "none", "--streams-jar", "none", "--set", "survey.dedup.ids=0")).isEqualTo(2);
        assertThat(errors.toString()).startsWith("--set: unknown metrics-streams settings [survey.dedup.ids]");
    }

    @Test
    void shouldRefuseABadValueNamingItsKey() {
        assertThat(run("--ingest-jar", "none", "--streams-jar", "none", "--set", "survey.dedup.ids.in.memory=-1",
                "--set", "ticket.sla.wait=PT10M")).isEqualTo(2);
        assertThat(errors.toString()).startsWith("--set: Invalid value -1 for configuration "
                + "survey.dedup.ids.in.memory: must be between 0 and 100000000");
    }

    @Test
    void shouldRefuseZeroRounds() {
        assertThat(run("--ingest-jar", "none", "--streams-jar", "none", "--rounds", "0")).isEqualTo(2);
        assertThat(errors.toString()).startsWith("--rounds and --events must be at least 1");
    }

    @Test
    void shouldReportTheRoundWithTheMedianRatio() {
        double[] low = {300, 90, 0.30};
        double[] middle = {200, 100, 0.50};
        double[] high = {100, 70, 0.70};
        assertThat(BenchStreamsCommand.median(List.of(high, low, middle))).isSameAs(middle);
        // of an even count, the lower middle one
        assertThat(BenchStreamsCommand.median(List.of(high, low))).isSameAs(low);
        assertThat(BenchStreamsCommand.median(List.of(middle))).isSameAs(middle);
    }
}
