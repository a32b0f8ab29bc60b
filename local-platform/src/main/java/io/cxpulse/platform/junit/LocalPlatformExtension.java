package io.cxpulse.platform.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.cxpulse.platform.Directories;
import io.cxpulse.platform.LocalPlatform;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a real Kafka broker and schema registry, started once per test run and shared by every test
 * class that uses the extension; stopped when the run ends.
 *
 * <pre>{@code
 * @ExtendWith(LocalPlatformExtension.class)
 * class SomethingIT {
 *     @Test
 *     void works(LocalPlatform platform) { ... }
 * }
 * }</pre>
 */
public final class LocalPlatformExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LocalPlatformExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalPlatform.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared(context);
    }

    /** The platform shared by this test run, started on first use. */
    public static LocalPlatform shared(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedPlatform.class, key -> SharedPlatform.start(), SharedPlatform.class)
                .platform();
    }

    /** The run's platform and its data directory, removed when JUnit closes the root store. */
    private record SharedPlatform(LocalPlatform platform, Path dataDir) implements AutoCloseable {
        static SharedPlatform start() {
            try {
                Path dir = Files.createTempDirectory("cxpulse-test-platform");
                return new SharedPlatform(LocalPlatform.start(0, 0, dir), dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            platform.close();
            Directories.deleteRecursively(dataDir);
        }
    }
}
