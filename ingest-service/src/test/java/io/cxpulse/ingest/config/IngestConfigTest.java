package io.cxpulse.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.cxpulse.common.LayeredConfig;
import io.cxpulse.ingest.EventType;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestConfigTest {

    @Test
    void shouldLayerDefaultsFileAndEnvironment(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ingest.properties");
        Files.writeString(file, "http.port=9000\ningest.max.events=50\nkafka.linger.ms=20\n");

        LayeredConfig layers = LayeredConfig.load(IngestConfig.defaults(), Optional.of(file), Map.of(
                "CXPULSE_HTTP_PORT", "9100", "CXPULSE_KAFKA_BOOTSTRAP_SERVERS", "broker:9093",
                "CXPULSE_SCHEMA_REGISTRY_URL", "http://registry:8081", "HOME", "/root"));
        IngestConfig config = IngestConfig.from(layers);

        assertThat(config.port()).isEqualTo(9100);
        assertThat(config.maxEvents()).isEqualTo(50);
        assertThat(config.maxBodyBytes()).isEqualTo(1024 * 1024);
        assertThat(config.ackTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.maxEventAge()).isEqualTo(Duration.ofDays(30));
        assertThat(config.kafka()).containsEntry("bootstrap.servers", "broker:9093").containsEntry("linger.ms", "20");
        assertThat(config.registry()).containsEntry("schema.registry.url", "http://registry:8081");
        assertThat(config.topics()).containsEntry(EventType.TICKET_EVENT, "cx.ticket-events.v1");
    }

    @Test
    void shouldNameTheKeyOfABadValue() {
        assertThatThrownBy(() -> IngestConfig.from(withDefaults("ingest.max.events", "lots")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ingest.max.events");
        assertThatThrownBy(() -> IngestConfig.from(withDefaults("ingest.ack.timeout", "soon")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ingest.ack.timeout");
        assertThatThrownBy(() -> IngestConfig.from(withDefaults("http.port", "70000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.port");
        assertThatThrownBy(() -> IngestConfig.from(withDefaults("topics.create", "maybe")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("topics.create");
    }

    @Test
    void shouldRefuseAcksOtherThanAll() {
        assertThatThrownBy(() -> new io.cxpulse.ingest.publish.EventPublisher(Map.of("acks", "1",
                "bootstrap.servers", "127.0.0.1:1"),
                io.cxpulse.schemas.registry.SchemaRegistryClient.forUrl("http://127.0.0.1:1"), Duration.ofSeconds(1)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("kafka.acks");
    }

    @Test
    void shouldMaskSecretsInTheLoggedConfiguration() {
        LayeredConfig layers = LayeredConfig.load(IngestConfig.defaults(), Optional.empty(), Map.of(
                "CXPULSE_INGEST_TOKENS", "crm:s3cret", "CXPULSE_KAFKA_SASL_JAAS_CONFIG", "secret-jaas",
                "CXPULSE_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "u:p"));

        assertThat(layers.masked().toString()).doesNotContain("s3cret").doesNotContain("secret-jaas")
                .doesNotContain("u:p").contains("ingest.tokens=********");
    }

    @Test
    void shouldListUnknownKeysButNotPassThroughOnes() {
        LayeredConfig layers = LayeredConfig.load(IngestConfig.defaults(), Optional.empty(), Map.of(
                "CXPULSE_INGEST_MAX_EVENT", "10", "CXPULSE_KAFKA_LINGER_MS", "5",
                "CXPULSE_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "u:p"));

        assertThat(IngestConfig.unknownKeys(layers)).containsExactly("ingest.max.event");
    }

    @Test
    void shouldReadTokensFromAFile(@TempDir Path dir) throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "# sources\ncrm:abc\nhelpdesk:def:ticket-events\n");

        IngestConfig config = IngestConfig.from(withDefaults("ingest.tokens.file", tokens.toString()));

        assertThat(config.authenticator().sourceNames()).containsExactly("crm", "helpdesk");
    }

    private static LayeredConfig withDefaults(String key, String value) {
        Map<String, String> values = new java.util.HashMap<>(IngestConfig.defaults());
        values.put(key, value);
        return LayeredConfig.of(values);
    }
}
