package io.cxpulse.platform.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A service started as its own process, its output in a log file, stopped with SIGTERM as Ctrl-C would, or
 * killed, paused and resumed to inject a fault.
 */
public final class ChildProcess {
    private final String name;
    private final Process process;
    private final Path log;
    /** Where this process's output starts in the log: a restarted service appends to its earlier runs' output. */
    private final long logStart;

    private ChildProcess(String name, Process process, Path log, long logStart) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.logStart = logStart;
    }

    /** Starts {@code java <jvmOptions> -jar <jar> <args>} with extra environment, output to {@code log}. */
    public static ChildProcess startJar(String name, Path jar, List<String> jvmOptions, List<String> args,
            Map<String, String> environment, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        return start(name, command, environment, log);
    }

    /** Starts {@code command} with extra environment, output to {@code log}. */
    public static ChildProcess start(String name, List<String> command, Map<String, String> environment, Path log)
            throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // the launcher's own variables: a service would read them as settings it does not know
        builder.environment().remove("CXPULSE_PLATFORM_JAR");
        builder.environment().remove("CXPULSE_INGEST_JAR");
        builder.environment().remove("CXPULSE_STREAMS_JAR");
        builder.environment().putAll(environment);
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        return new ChildProcess(name, builder.start(), log, logStart);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until {@code ready} holds; fails if the process ends first or {@code timeout} passes. */
    public void awaitReady(BooleanSupplier ready, Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with code " + process.exitValue() + " during start-up; "
                        + "last lines of " + log + ":\n" + tail(20));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(name + " was not ready within " + timeout.toSeconds() + " s; see " + log);
            }
            Thread.sleep(200);
        }
    }

    /** Whether this process (not an earlier one with the same log) has written {@code text} to the log. */
    public boolean logContains(String text) {
        try {
            if (!Files.exists(log)) {
                return false;
            }
            byte[] all = Files.readAllBytes(log);
            int from = (int) Math.min(logStart, all.length);
            return new String(all, from, all.length - from, java.nio.charset.StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGTERM, then SIGKILL if it has not ended within {@code grace}. */
    public void stop(Duration grace) throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.toHandle().destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.toHandle().destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** SIGKILL, as a crash or the OOM killer would; waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGSTOP: the process stops running (its sockets stay open but nothing answers) until {@link #resume}. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause}. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    /** Waits up to {@code timeout} for the process to end; whether it has. */
    public boolean waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The last {@code lines} lines of the log. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                .redirectErrorStream(true).start();
        String output = new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + signal + " " + process.pid() + " failed: " + output.trim());
        }
    }
}
