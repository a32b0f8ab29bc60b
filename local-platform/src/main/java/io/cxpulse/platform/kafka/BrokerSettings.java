package io.cxpulse.platform.kafka;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.cxpulse.platform.Ports;

/**
 * Where a {@link KafkaBroker} listens, which cluster it belongs to and where it keeps its data.
 *
 * @param host           the interface to bind and advertise, normally {@code 127.0.0.1}
 * @param nodeId         this node's id in the cluster, from 1
 * @param port           the client port
 * @param controllerPort the KRaft controller port
 * @param quorumVoters   every node's controller address, {@code 1@host:port,2@host:port,...}
 * @param clusterSize    how many nodes the cluster has; sets the replication factor of new topics (up to 3) and
 *                       {@code min.insync.replicas} (up to 2)
 * @param clusterId      the id to format a new data directory with; empty for a random one (a one-node cluster)
 * @param dataDir        the directory under which the broker keeps its log
 * @param overrides      extra broker settings, applied last
 */
public record BrokerSettings(String host, int nodeId, int port, int controllerPort, String quorumVoters,
        int clusterSize, Optional<String> clusterId, Path dataDir, Map<String, String> overrides) {

    public BrokerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(quorumVoters, "quorumVoters");
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(dataDir, "dataDir");
        overrides = Map.copyOf(overrides);
        Ports.requireValid("Kafka port", port);
        Ports.requireValid("Kafka controller port", controllerPort);
        if (nodeId < 1 || nodeId > clusterSize) {
            throw new IllegalArgumentException("node id must be between 1 and the cluster size " + clusterSize
                    + ", was " + nodeId);
        }
    }

    /** A one-node cluster on 127.0.0.1 with the given client port, or a free one when {@code port} is 0. */
    public static BrokerSettings loopback(int port, Path dataDir) {
        int[] free = Ports.free(2);
        int kafkaPort = port == 0 ? free[0] : port;
        int controllerPort = free[1] != kafkaPort ? free[1] : free[0];
        return new BrokerSettings(Ports.LOOPBACK, 1, kafkaPort, controllerPort,
                "1@" + Ports.LOOPBACK + ":" + controllerPort, 1, Optional.empty(), dataDir, Map.of());
    }

    /** The replication factor of new topics, internal ones included: 3, or fewer on a smaller cluster. */
    public int replicationFactor() {
        return Math.min(3, clusterSize);
    }

    /** {@code min.insync.replicas}: 2, so that an acknowledged write survives the loss of one broker. */
    public int minInsyncReplicas() {
        return Math.min(2, clusterSize);
    }
}
