package io.cxpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code bench streams --set} is checked as metrics-streams checks its settings, before anything is started. */
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
                "--set", "ticket.grace=PT1H")).isEqualTo(2);
        assertThat(errors.toString()).startsWith("--set: Invalid value -1 for configuration "
                + "survey.dedup.ids.in.memory: must be between 0 and 100000000");
    }
}
