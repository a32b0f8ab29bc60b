package io.cxpulse.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.cxpulse.platform.junit.TopicReader;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerIT {

    @Test
    void shouldCreateTopicsWithTheRequestedPartitionsAndConfig(@TempDir Path dataDir) throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(BrokerSettings.loopback(0, dataDir));
             Admin admin = broker.admin()) {
            broker.createTopic("events", 6, Map.of("cleanup.policy", "compact", "retention.ms", "3600000"));
            broker.createTopic("events", 6, Map.of());

            TopicDescription description = admin.describeTopics(List.of("events")).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get("events");
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "events");
            Config config = admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);

            assertThat(description.partitions()).hasSize(6);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(config.get("retention.ms").value()).isEqualTo("3600000");
            assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
        }
    }

    @Test
    void shouldKeepAcknowledgedRecordsAcrossARestart(@TempDir Path dataDir) {
        BrokerSettings settings = BrokerSettings.loopback(0, dataDir);
        try (KafkaBroker broker = KafkaBroker.start(settings)) {
            broker.createTopic("kept", 2, Map.of());
            try (KafkaProducer<String, String> producer = producer(broker)) {
                for (int i = 0; i < 100; i++) {
                    producer.send(new ProducerRecord<>("kept", "k" + i, "v" + i));
                }
                producer.flush();
            }
        }

        try (KafkaBroker broker = KafkaBroker.start(settings)) {
            assertThat(TopicReader.values(broker.bootstrapServers(), "kept", new StringDeserializer(), 100))
                    .hasSize(100);
        }
    }

    static KafkaProducer<String, String> producer(KafkaBroker broker) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }
}
