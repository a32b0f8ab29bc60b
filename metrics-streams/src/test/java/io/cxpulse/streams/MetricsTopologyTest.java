package io.cxpulse.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.cxpulse.common.LayeredConfig;
import io.cxpulse.schemas.registry.SchemaRegistryClient;
import io.cxpulse.streams.topic.Topics;

import org.junit.jupiter.api.Test;

/**
 * Holds the whole topology's structure (node names, stores, internal topics, sub-topologies) against
 * {@code topology.txt}. A change to it can change changelog and repartition topics or task ids, which needs an
 * application reset on upgrade (see docs/operations.md): when the change is meant, write the new description to the
 * file and say in the change what an upgrade needs.
 */
class MetricsTopologyTest {
    @Test
    void shouldKeepTheTopologyThatDeploymentsRunToday() throws IOException {
        MetricsStreamsConfig config = MetricsStreamsConfig.from(LayeredConfig.of(MetricsStreamsConfig.defaults()));
        Topics topics = Topics.create(SchemaRegistryClient.forUrl("http://127.0.0.1:1"),
                Map.of("schema.registry.url", "http://127.0.0.1:1"));

        String description = MetricsTopology.build(topics, config, MetricsTopology.Observers.NONE).describe()
                .toString();

        assertThat(description).isEqualTo(expected());
    }

    private static String expected() throws IOException {
        try (InputStream in = MetricsTopologyTest.class.getResourceAsStream("/topology.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
