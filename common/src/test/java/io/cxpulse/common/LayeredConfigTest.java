package io.cxpulse.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

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
}
