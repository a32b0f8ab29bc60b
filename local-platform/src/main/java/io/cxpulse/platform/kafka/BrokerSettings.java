package io.cxpulse.platform.kafka;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

import io.cxpulse.platform.Ports;

/**
 * Where a {@link KafkaBroker} listens and keeps its data.
 *
 * @param host           the interface to bind and advertise, normally {@code 127.0.0.1}
 * @param port           the client port
 * @param controllerPort the KRaft controller port
 * @param dataDir        the directory under which the broker keeps its log
 * @param overrides      extra broker settings, applied last
 */
public record BrokerSettings(String host, int port, int controllerPort, Path dataDir, Map<String, String> overrides) {

    public BrokerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        overrides = Map.copyOf(overrides);
        Ports.requireValid("Kafka port", port);
        Ports.requireValid("Kafka controller port", controllerPort);
    }

    /** Settings on 127.0.0.1 with the given client port, or a free one when {@code port} is 0. */
    public static BrokerSettings loopback(int port, Path dataDir) {
        return new BrokerSettings(Ports.LOOPBACK, Ports.orFree(port), Ports.free(), dataDir, Map.of());
    }
}
