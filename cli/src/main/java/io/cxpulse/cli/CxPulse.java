package io.cxpulse.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code cxpulse}: CX Pulse on a laptop. */
@Command(name = "cxpulse", mixinStandardHelpOptions = true,
        description = "CX Pulse on one machine: run it, feed it, measure it.",
        subcommands = {UpCommand.class, SimulateCommand.class, ImportCommand.class, BenchCommand.class,
                AlertSinkCommand.class})
public final class CxPulse {

    public static void main(String[] args) {
        System.exit(new CommandLine(new CxPulse()).execute(args));
    }
}
