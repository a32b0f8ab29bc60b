package io.cxpulse.cli;

import picocli.CommandLine.Command;

/** Benchmarks: figures measured against a baseline in the same run, never pass/fail tests. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run a benchmark.",
        subcommands = {BenchIngestCommand.class, BenchStreamsCommand.class, BenchAlertsCommand.class,
            BenchFaultsCommand.class})
final class BenchCommand {
}
