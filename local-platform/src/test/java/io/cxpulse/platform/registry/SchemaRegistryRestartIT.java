package io.cxpulse.platform.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import io.cxpulse.platform.LocalPlatform;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaRegistryRestartIT {

    @Test
    void shouldServeTheSameIdsAndLevelsAfterARestart(@TempDir Path dataDir) {
        int id;
        int otherId;
        try (LocalPlatform platform = LocalPlatform.start(0, 0, dataDir)) {
            RegistryHttp http = new RegistryHttp(platform.schemaRegistryUrl());
            http.postSchema("/subjects/filler-value/versions", "\"string\"");
            id = http.postSchema("/subjects/a-value/versions", SchemaRegistryServerIT.V1).body().path("id").asInt();
            otherId = http.postSchema("/subjects/a-value/versions", SchemaRegistryServerIT.V2_WITH_DEFAULT)
                    .body().path("id").asInt();
            http.put("/config/a-value", Map.of("compatibility", "FULL"));
            http.postSchema("/subjects/gone-value/versions", "\"double\"");
            markDeletedAsConfluentDoes(platform.bootstrapServers(), "gone-value", 1);
        }

        try (LocalPlatform platform = LocalPlatform.start(0, 0, dataDir)) {
            RegistryHttp http = new RegistryHttp(platform.schemaRegistryUrl());

            assertThat(http.get("/subjects/a-value/versions/1").body().path("id").asInt()).isEqualTo(id);
            assertThat(http.get("/subjects/a-value/versions/latest").body().path("id").asInt()).isEqualTo(otherId);
            assertThat(http.get("/schemas/ids/" + id).status()).isEqualTo(200);
            assertThat(http.get("/config/a-value").body().path("compatibilityLevel").asText()).isEqualTo("FULL");
            int next = http.postSchema("/subjects/b-value/versions", "\"long\"").body().path("id").asInt();
            assertThat(next).as("a new schema gets an id never used before").isGreaterThan(otherId + 1);
            assertThat(http.get("/subjects/gone-value/versions").errorCode()).isEqualTo(40401);
        }
    }

    /** Writes the record a Confluent registry writes when it soft-deletes a version. */
    private static void markDeletedAsConfluentDoes(String bootstrapServers, String subject, int version) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(RegistrySettings.DEFAULT_TOPIC,
                    "{\"keytype\":\"SCHEMA\",\"subject\":\"" + subject + "\",\"version\":" + version
                            + ",\"magic\":1}",
                    "{\"subject\":\"" + subject + "\",\"version\":" + version + ",\"id\":99,"
                            + "\"schema\":\"\\\"double\\\"\",\"deleted\":true}"));
        }
    }
}
