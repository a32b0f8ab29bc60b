package io.cxpulse.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.cxpulse.platform.junit.TopicReader;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three brokers in three processes, replicated as in production, and the same cluster again when started on its
 * data. (A broker killed under load is one of {@code bench faults}' faults, audited in the cli module's FaultsIT.)
 */
class LocalClusterIT {

    @Test
    void shouldReplicateEveryTopicAndComeBackAsTheSameCluster(@TempDir Path dir) throws Exception {
        LocalCluster.Settings settings = LocalCluster.Settings.loopback(3, dir);
        try (LocalCluster cluster = LocalCluster.start(settings)) {
            assertThat(cluster.bootstrapServers().split(",")).hasSize(3);
            registerASchema(cluster.schemaRegistryUrl());
            try (Admin admin = cluster.admin()) {
                admin.createTopics(List.of(new NewTopic("kept", 3, (short) -1))).all().get(30, TimeUnit.SECONDS);
                for (String topic : List.of("kept", "_schemas")) {
                    assertReplicated(admin, topic);
                }
            }
            send(cluster.bootstrapServers(), 0, 200);
        }

        try (LocalCluster again = LocalCluster.start(settings)) {
            assertThat(TopicReader.values(again.bootstrapServers(), "kept", new StringDeserializer(), 200))
                    .as("the same cluster, started again on its data").hasSize(200);
        }
        assertThatThrownBy(() -> LocalCluster.start(LocalCluster.Settings.loopback(2, dir)))
                .hasMessageContaining("holds a cluster of 3 brokers, not 2");
    }

    private static void assertReplicated(Admin admin, String topic) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(topic);
        assertThat(description.partitions()).allSatisfy(partition -> assertThat(partition.replicas())
                .as("replicas of %s-%d", topic, partition.partition()).hasSize(3));
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        assertThat(config.get("min.insync.replicas").value()).as("min.insync.replicas of %s", topic).isEqualTo("2");
    }

    private static void send(String bootstrapServers, int from, int to) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000),
                new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = from; i < to; i++) {
                acks.add(producer.send(new ProducerRecord<>("kept", "k" + i, "v" + i)));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(90, TimeUnit.SECONDS);
            }
        }
    }

    private static void registerASchema(String registryUrl) throws Exception {
        String schema = "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Kept\\\","
                + "\\\"fields\\\":[{\\\"name\\\":\\\"a\\\",\\\"type\\\":\\\"int\\\"}]}\"}";
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(registryUrl + "/subjects/kept-value/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(schema)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
}
