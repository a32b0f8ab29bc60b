package io.cxpulse.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientConfigTest {

    @Test
    void shouldReadConfluentNamesWithDefaults() {
        SchemaRegistryClientConfig config = SchemaRegistryClientConfig.fromMap(
                Map.of("schema.registry.url", "http://a:8081/, http://b:8081"));

        assertThat(config.urls()).containsExactly(URI.create("http://a:8081"), URI.create("http://b:8081"));
        assertThat(config.userInfo()).isEmpty();
        assertThat(config.maxRetries()).isEqualTo(3);
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.latestCacheTtl().isNegative()).isTrue();
    }

    @Test
    void shouldTakeUserInfoFromConfigWhenSourceIsUserInfo() {
        SchemaRegistryClientConfig config = SchemaRegistryClientConfig.fromMap(Map.of(
                "schema.registry.url", "https://registry:8081",
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "svc:pa:ss"));

        assertThat(config.userInfo()).contains("svc:pa:ss");
    }

    @Test
    void shouldTakeUserInfoFromTheUrlByDefault() {
        SchemaRegistryClientConfig config = SchemaRegistryClientConfig.fromMap(
                Map.of("schema.registry.url", "http://svc:p%40ss@registry:8081"));

        assertThat(config.userInfo()).contains("svc:p@ss");
        assertThat(config.urls()).containsExactly(URI.create("http://registry:8081"));
    }

    @Test
    void shouldAcceptPrefixedClientSettings() {
        SchemaRegistryClientConfig config = SchemaRegistryClientConfig.fromMap(Map.of(
                "schema.registry.url", "http://r:8081", "schema.registry.max.retries", "0",
                "http.read.timeout.ms", 1500));

        assertThat(config.maxRetries()).isZero();
        assertThat(config.readTimeout()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void shouldRefuseAMissingUrlNamingTheKey() {
        assertThatThrownBy(() -> SchemaRegistryClientConfig.fromMap(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.url");
    }

    @Test
    void shouldRefuseANonHttpUrlNamingTheKey() {
        assertThatThrownBy(() -> SchemaRegistryClientConfig.fromMap(Map.of("schema.registry.url", "ftp://r")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.url");
    }

    @Test
    void shouldRefuseANonNumericTimeoutNamingTheKey() {
        assertThatThrownBy(() -> SchemaRegistryClientConfig.fromMap(Map.of(
                "schema.registry.url", "http://r:8081", "http.read.timeout.ms", "soon")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.read.timeout.ms");
    }

    @Test
    void shouldRefuseUserInfoSourceWithoutCredentialsWithoutEchoingThem() {
        assertThatThrownBy(() -> SchemaRegistryClientConfig.fromMap(Map.of(
                "schema.registry.url", "http://r:8081", "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "nocolon")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("basic.auth.user.info")
                .hasMessageNotContaining("nocolon");
    }

    @Test
    void shouldRefuseSaslInherit() {
        assertThatThrownBy(() -> SchemaRegistryClientConfig.fromMap(Map.of(
                "schema.registry.url", "http://r:8081", "basic.auth.credentials.source", "SASL_INHERIT")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("basic.auth.credentials.source");
    }
}
