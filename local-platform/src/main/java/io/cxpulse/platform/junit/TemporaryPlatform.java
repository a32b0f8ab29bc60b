package io.cxpulse.platform.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.cxpulse.platform.Directories;
import io.cxpulse.platform.LocalPlatform;

/**
 * A {@link LocalPlatform} on a temporary data directory of its own, which closing deletes: what
 * {@link LocalPlatformExtension} shares with a JUnit run, and what a jqwik container (which JUnit extensions do not
 * reach) starts for itself.
 */
public final class TemporaryPlatform implements AutoCloseable {
    private final LocalPlatform platform;
    private final Path dataDir;

    private TemporaryPlatform(LocalPlatform platform, Path dataDir) {
        this.platform = platform;
        this.dataDir = dataDir;
    }

    /** Starts a broker and a registry on free ports, their data in a new temporary directory. */
    public static TemporaryPlatform start() {
        try {
            Path dir = Files.createTempDirectory("cxpulse-test-platform");
            return new TemporaryPlatform(LocalPlatform.start(0, 0, dir), dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public LocalPlatform platform() {
        return platform;
    }

    @Override
    public void close() {
        platform.close();
        Directories.deleteRecursively(dataDir);
    }
}
