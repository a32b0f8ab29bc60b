package io.cxpulse.platform.registry;

import java.util.Objects;
import java.util.Optional;

import io.cxpulse.platform.Ports;

/**
 * Where the schema registry listens and keeps its schemas.
 *
 * @param host             the interface to bind, normally {@code 127.0.0.1}
 * @param port             the HTTP port
 * @param bootstrapServers the Kafka cluster that holds the schemas topic
 * @param schemasTopic     the compacted topic that stores schemas, {@code _schemas} as in Confluent
 * @param basicAuth        when present, {@code user:password} that every request must carry
 */
public record RegistrySettings(String host, int port, String bootstrapServers, String schemasTopic,
        Optional<String> basicAuth) {
    /** Confluent's default storage topic. */
    public static final String DEFAULT_TOPIC = "_schemas";

    public RegistrySettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(schemasTopic, "schemasTopic");
        Objects.requireNonNull(basicAuth, "basicAuth");
        Ports.requireValid("Schema registry port", port);
        basicAuth.ifPresent(credentials -> {
            if (credentials.indexOf(':') < 1) {
                throw new IllegalArgumentException("Schema registry basic auth must be user:password");
            }
        });
    }

    /** Settings on 127.0.0.1 with the given port, or a free one when {@code port} is 0, and no authentication. */
    public static RegistrySettings loopback(int port, String bootstrapServers) {
        return new RegistrySettings(Ports.LOOPBACK, Ports.orFree(port), bootstrapServers, DEFAULT_TOPIC,
                Optional.empty());
    }

    /** The same settings, requiring HTTP basic authentication with {@code userInfo} ({@code user:password}). */
    public RegistrySettings withBasicAuth(String userInfo) {
        return new RegistrySettings(host, port, bootstrapServers, schemasTopic, Optional.of(userInfo));
    }

    /** The same settings, storing schemas in another topic. */
    public RegistrySettings withSchemasTopic(String topic) {
        return new RegistrySettings(host, port, bootstrapServers, topic, basicAuth);
    }
}
