package io.cxpulse.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;

import io.cxpulse.platform.Directories;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/** A {@link TopologyTestDriver} on a state directory of its own, which closing deletes. */
public final class TestDrivers implements AutoCloseable {
    private final TopologyTestDriver driver;
    private final Path stateDir;

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
