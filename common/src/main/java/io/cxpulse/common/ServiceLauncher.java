package io.cxpulse.common;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each service's {@code main} does: loads its layered configuration (logged with secrets masked, unknown keys
 * warned about), starts the service, and on SIGTERM or Ctrl-C closes it before the JVM exits.
 */
public final class ServiceLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceLauncher.class);

    /** A running service. */
    public interface Service extends AutoCloseable {
        /** Where it listens. */
        String url();

        /** Stops it gracefully. */
        @Override
        void close();
    }

    private ServiceLauncher() {
    }

    /**
     * Runs a service until the JVM is told to stop.
     *
     * @param name        the service's name, for the console
     * @param configFile  the {@code --config} option, or null for {@code $CXPULSE_CONFIG_FILE} (or none)
     * @param defaults    the bottom layer of the configuration
     * @param unknownKeys the keys set that no setting reads
     * @param parse       the configuration, validated; fails with a {@link ConfigException} naming the key
     * @param start       starts the service
     * @return the exit status: 2 for an invalid configuration, else 0 once stopped
     */
    public static <C> int run(String name, Path configFile, Map<String, String> defaults,
            Function<LayeredConfig, List<String>> unknownKeys, Function<LayeredConfig, C> parse,
            Function<C, Service> start) throws InterruptedException {
        Optional<Path> file = Optional.ofNullable(configFile)
                .or(() -> Optional.ofNullable(System.getenv("CXPULSE_CONFIG_FILE")).map(Path::of));
        C config;
        try {
            LayeredConfig layers = LayeredConfig.load(defaults, file, System.getenv());
            LOG.info("Effective configuration: {}", layers.masked());
            unknownKeys.apply(layers).forEach(key -> LOG.warn("Ignoring unknown setting {}", key));
            config = parse.apply(layers);
        } catch (ConfigException e) {
            System.err.println("Invalid configuration: " + e.getMessage());
            return 2;
        }
        Service service = start.apply(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, name + "-shutdown"));
        System.out.println(name + ": " + service.url());
        stopped.await();
        return 0;
    }
}
