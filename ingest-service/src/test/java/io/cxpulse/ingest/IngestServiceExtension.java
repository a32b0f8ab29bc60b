package io.cxpulse.ingest;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import io.cxpulse.common.LayeredConfig;
import io.cxpulse.ingest.config.IngestConfig;
import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.platform.junit.LocalPlatformExtension;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives integration tests a running ingest service on the shared local platform, started once per test run.
 * Sources: {@code dev}/{@code dev-token} may send everything; {@code helpdesk}/{@code help-token} only ticket
 * events.
 */
public final class IngestServiceExtension implements ParameterResolver {
    public static final String TOKEN = "dev-token";
    public static final String HELPDESK_TOKEN = "help-token";
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(IngestServiceExtension.class);

    /** The running service and the platform under it. */
    public record Running(IngestService service, LocalPlatform platform) implements AutoCloseable {
        public IngestHttp http() {
            return new IngestHttp(service.url());
        }

        @Override
        public void close() {
            service.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Running.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        LocalPlatform platform = LocalPlatformExtension.shared(context);
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Running.class, key -> start(platform, Map.of()), Running.class);
    }

    /** Starts a service on {@code platform} with these settings over the test defaults; waits until ready. */
    public static Running start(LocalPlatform platform, Map<String, String> overrides) {
        Running running = startWithoutWaiting(platform, overrides);
        Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(running.service()::schemasRegistered);
        return running;
    }

    /** Starts a service as {@link #start} does, without waiting for its schemas to be registered. */
    public static Running startWithoutWaiting(LocalPlatform platform, Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(IngestConfig.defaults());
        settings.put("http.port", "0");
        settings.put("http.drain.delay", "PT0S");
        settings.put("ingest.tokens", "dev:" + TOKEN + ",helpdesk:" + HELPDESK_TOKEN + ":ticket-events");
        settings.put("kafka.bootstrap.servers", platform.bootstrapServers());
        settings.put("schema.registry.url", platform.schemaRegistryUrl());
        settings.put("topics.partitions", "3");
        settings.putAll(overrides);
        IngestService service = IngestService.start(IngestConfig.from(LayeredConfig.of(settings)),
                Clock.systemUTC());
        return new Running(service, platform);
    }
}
