package io.cxpulse.platform.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import io.cxpulse.platform.LocalPlatform;

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
        }

        try (LocalPlatform platform = LocalPlatform.start(0, 0, dataDir)) {
            RegistryHttp http = new RegistryHttp(platform.schemaRegistryUrl());

            assertThat(http.get("/subjects/a-value/versions/1").body().path("id").asInt()).isEqualTo(id);
            assertThat(http.get("/subjects/a-value/versions/latest").body().path("id").asInt()).isEqualTo(otherId);
            assertThat(http.get("/schemas/ids/" + id).status()).isEqualTo(200);
            assertThat(http.get("/config/a-value").body().path("compatibilityLevel").asText()).isEqualTo("FULL");
            int next = http.postSchema("/subjects/b-value/versions", "\"long\"").body().path("id").asInt();
            assertThat(next).as("a new schema gets an id never used before").isGreaterThan(otherId);
        }
    }
}
