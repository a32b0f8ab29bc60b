package io.cxpulse.platform.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.platform.junit.LocalPlatformExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalPlatformExtension.class)
class SchemaRegistryBasicAuthIT {

    @Test
    void shouldRequireTheConfiguredCredentials(LocalPlatform platform) {
        RegistrySettings settings = RegistrySettings.loopback(0, platform.bootstrapServers())
                .withSchemasTopic("_schemas-auth-test").withBasicAuth("ops:s3cret");
        try (SchemaRegistryServer server = SchemaRegistryServer.start(settings)) {
            RegistryHttp anonymous = new RegistryHttp(server.url());

            RegistryHttp.Response refused = anonymous.get("/subjects");
            RegistryHttp.Response wrong = anonymous.withBasicAuth("ops:guess").get("/subjects");
            RegistryHttp.Response allowed = anonymous.withBasicAuth("ops:s3cret").get("/subjects");

            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.errorCode()).isEqualTo(401);
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(allowed.status()).isEqualTo(200);
            String good = "Basic " + java.util.Base64.getEncoder().encodeToString("ops:s3cret".getBytes());
            assertThat(anonymous.withAuthorization(good.toUpperCase()).get("/subjects").status())
                    .as("a kept-alive connection must not reuse the previous request's credentials").isEqualTo(401);
        }
    }
}
