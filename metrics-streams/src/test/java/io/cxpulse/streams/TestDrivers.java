package io.cxpulse.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;

import io.cxpulse.platform.Directories;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * A {@link TopologyTestDriver} on a state directory of its own, which closing deletes, with its wall clock: tests
 * move it through {@link #advance} and {@link #readAt}, so that, as in a running application, a record is read no
 * earlier than it was received.
 */
public final class TestDrivers implements AutoCloseable {
    private final TopologyTestDriver driver;
    private final Path stateDir;
    private Instant clock;

    /** Starts {@code topology} as application {@code name} with wall-clock time at {@code start}. */
    public TestDrivers(Topology topology, String name, Instant start) {
        try {
            stateDir = Files.createTempDirectory(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, name);
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(topology, properties, start);
        clock = start;
    }

    /** Lets {@code duration} of wall-clock time pass (punctuators run). */
    public void advance(Duration duration) {
        driver.advanceWallClockTime(duration);
        clock = clock.plus(duration);
    }

    /** Moves the wall clock to {@code received} if it is behind it: the record received then is read now. */
    public void readAt(Instant received) {
        if (received.isAfter(clock)) {
            advance(Duration.between(clock, received));
        }
    }

    /** The driver's wall-clock time. */
    public Instant clock() {
        return clock;
    }

    public TopologyTestDriver driver() {
        return driver;
    }

    @Override
    public void close() {
        driver.close();
        Directories.deleteRecursively(stateDir);
    }
}
