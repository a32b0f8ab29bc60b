package io.cxpulse.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class LayeredConfigTest {

    @Test
    void shouldReadNonNegativeNumbersAndNameTheKeyOfABadOne() {
        LayeredConfig config = LayeredConfig.of(Map.of("z", "2.5", "zero", "0", "negative", "-1", "nan", "NaN",
                "word", "three"));

        assertThat(config.nonNegativeNumber("z")).isEqualTo(2.5);
        assertThat(config.nonNegativeNumber("zero")).isZero();
        for (String key : new String[] {"negative", "nan", "word"}) {
            assertThatThrownBy(() -> config.nonNegativeNumber(key)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining(key);
        }
    }

    @Test
    void shouldReadPositiveDurationsAndRefuseZero() {
        LayeredConfig config = LayeredConfig.of(Map.of("every", "PT0.1S", "millis", "250", "never", "PT0S"));

        assertThat(config.positiveDuration("every")).isEqualTo(Duration.ofMillis(100));
        assertThat(config.positiveDuration("millis")).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> config.positiveDuration("never")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("never").hasMessageContaining("positive");
    }

    @Test
    void shouldSetAHyphenatedKeyFromTheEnvironment() {
        LayeredConfig config = LayeredConfig.load(Map.of("topic.survey-responses", "cx.survey-responses.v1",
                "kafka.bootstrap.servers", "127.0.0.1:9092"), Optional.empty(), Map.of(
                "CXPULSE_TOPIC_SURVEY_RESPONSES", "acme.surveys", "CXPULSE_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
                "CXPULSE_KAFKA_CLIENT_ID", "cx"));

        assertThat(config.string("topic.survey-responses")).isEqualTo("acme.surveys");
        assertThat(config.optional("topic.survey.responses")).isEmpty();
        assertThat(config.string("kafka.bootstrap.servers")).isEqualTo("kafka:9092");
        assertThat(config.string("kafka.client.id")).isEqualTo("cx");
    }
}
