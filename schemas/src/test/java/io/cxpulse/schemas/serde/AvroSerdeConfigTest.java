package io.cxpulse.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class AvroSerdeConfigTest {

    @Test
    void shouldDefaultAsConfluentDoes() {
        AvroSerdeConfig config = AvroSerdeConfig.fromMap(Map.of("schema.registry.url", "http://r:8081"));

        assertThat(config.autoRegister()).isTrue();
        assertThat(config.useLatestVersion()).isFalse();
        assertThat(config.specificReader()).isFalse();
    }

    @Test
    void shouldReadSwitchesGivenAsStrings() {
        AvroSerdeConfig config = AvroSerdeConfig.fromMap(Map.of("schema.registry.url", "http://r:8081",
                "auto.register.schemas", "false", "use.latest.version", "true", "specific.avro.reader", true));

        assertThat(config.autoRegister()).isFalse();
        assertThat(config.useLatestVersion()).isTrue();
        assertThat(config.specificReader()).isTrue();
    }

    @Test
    void shouldRefuseANonBooleanSwitchNamingTheKey() {
        assertThatThrownBy(() -> AvroSerdeConfig.fromMap(Map.of("schema.registry.url", "http://r:8081",
                "auto.register.schemas", "yes")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("auto.register.schemas");
    }

    @Test
    void shouldAcceptTopicNameStrategyAndRefuseOthers() {
        AvroSerdeConfig.fromMap(Map.of("schema.registry.url", "http://r:8081",
                "value.subject.name.strategy", AvroSerdeConfig.TOPIC_NAME_STRATEGY));

        assertThatThrownBy(() -> AvroSerdeConfig.fromMap(Map.of("schema.registry.url", "http://r:8081",
                "value.subject.name.strategy", "io.confluent.kafka.serializers.subject.RecordNameStrategy")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("value.subject.name.strategy");
    }

    @Test
    void shouldNameSubjectsAfterTheTopic() {
        assertThat(AvroSerdeConfig.subject("cx.survey-responses.v1", false)).isEqualTo("cx.survey-responses.v1-value");
        assertThat(AvroSerdeConfig.subject("cx.survey-responses.v1", true)).isEqualTo("cx.survey-responses.v1-key");
    }
}
