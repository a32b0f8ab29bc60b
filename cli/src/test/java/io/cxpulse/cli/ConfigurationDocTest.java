package io.cxpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.cxpulse.ingest.config.IngestConfig;
import io.cxpulse.streams.MetricsStreamsConfig;

import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md is generated from the one declaration of each setting ({@code IngestConfig.SETTINGS},
 * {@code MetricsStreamsConfig.SETTINGS}); this test fails when the file and the declarations differ. Run it with
 * {@code -Dcxpulse.write.docs=true} to write the file anew.
 */
class ConfigurationDocTest {
    private static final Path FILE = Path.of("..", "docs", "configuration.md").toAbsolutePath().normalize();
    static final String REGENERATE = "./mvnw -pl cli -am test -Dtest=ConfigurationDocTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dcxpulse.write.docs=true";

    @Test
    void shouldListEverySettingAsDeclared() throws IOException {
        String generated = render();
        if (Boolean.getBoolean("cxpulse.write.docs")) {
            Files.writeString(FILE, generated, StandardCharsets.UTF_8);
        }

        assertThat(Files.readString(FILE, StandardCharsets.UTF_8))
                .as("docs/configuration.md is generated from the settings' declarations; to write it anew run "
                        + REGENERATE).isEqualTo(generated);
    }

    static String render() {
        return """
                # Configuration

                <!-- Generated from the settings' declarations (IngestConfig.SETTINGS, MetricsStreamsConfig.SETTINGS \
                and the feature settings they include) by ConfigurationDocTest; do not edit by hand. To write it \
                anew: %s -->

                Every setting of both services, its default, the values it takes and what it does. Each service \
                reads them in layers: the defaults below, then an optional properties file (`--config FILE` or \
                `CXPULSE_CONFIG_FILE`), then environment variables with the `CXPULSE_` prefix, upper case, dots \
                as underscores (`CXPULSE_KAFKA_BOOTSTRAP_SERVERS` sets `kafka.bootstrap.servers`, \
                `CXPULSE_TOPIC_SURVEY_RESPONSES` sets `topic.survey-responses`). Later layers \
                win. A bad value stops the service at start with a message that names the key; a key no setting \
                reads is logged as ignored; the effective configuration is logged with secrets masked.

                Durations are ISO-8601 (`PT5M`, `P30D`) or milliseconds.

                """.formatted(REGENERATE) + IngestConfig.SETTINGS.markdown() + "\n"
                + MetricsStreamsConfig.SETTINGS.markdown();
    }
}
