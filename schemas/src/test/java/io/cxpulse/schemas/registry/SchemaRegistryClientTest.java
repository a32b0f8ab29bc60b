package io.cxpulse.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.javalin.Javalin;

import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the client behaves when the registry misbehaves: a small HTTP server plays a registry that fails in
 * chosen ways (the happy paths run against the real registry in {@code SchemaRegistryClientIT}).
 */
class SchemaRegistryClientTest {
    static final String SCHEMA = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}";
    final AtomicInteger calls = new AtomicInteger();
    Javalin server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void shouldRetryA5xxAndThenSucceed() {
        serve(app -> app.get("/schemas/ids/7", ctx -> {
            if (calls.incrementAndGet() <= 2) {
                ctx.status(503).result("{\"error_code\":50003,\"message\":\"busy\"}");
            } else {
                ctx.result("{\"schema\":" + quote(SCHEMA) + "}");
            }
        }));

        Schema schema = client(Map.of("max.retries", 3)).getSchemaById(7);

        assertThat(schema.getName()).isEqualTo("R");
        assertThat(calls).hasValue(3);
    }

    @Test
    void shouldGiveUpAfterMaxRetries() {
        serve(app -> app.get("/schemas/ids/7", ctx -> {
            calls.incrementAndGet();
            ctx.status(500).result("{\"error_code\":50001,\"message\":\"store down\"}");
        }));

        assertThatThrownBy(() -> client(Map.of("max.retries", 2)).getSchemaById(7))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("50001").hasMessageContaining("schema id 7");
        assertThat(calls).hasValue(3);
    }

    @Test
    void shouldNotRetryA4xxAndShouldNameTheSubject() {
        serve(app -> app.get("/subjects/orders-value/versions/latest", ctx -> {
            calls.incrementAndGet();
            ctx.status(404).result("{\"error_code\":40401,\"message\":\"Subject 'orders-value' not found.\"}");
        }));

        assertThatThrownBy(() -> client(Map.of()).getLatestSchemaMetadata("orders-value"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(40401);
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.isNotFound()).isTrue();
                })
                .hasMessageContaining("subject 'orders-value'").hasMessageContaining("subject not found");
        assertThat(calls).hasValue(1);
    }

    @Test
    void shouldFetchASchemaByIdOnlyOnce() {
        serve(app -> app.get("/schemas/ids/3", ctx -> {
            calls.incrementAndGet();
            ctx.result("{\"schema\":" + quote(SCHEMA) + "}");
        }));
        SchemaRegistryClient client = client(Map.of());

        client.getSchemaById(3);
        client.getSchemaById(3);
        client.getSchemaById(3);

        assertThat(calls).hasValue(1);
    }

    @Test
    void shouldGiveUpWithinTheReadTimeoutWhenTheRegistryHangs() {
        serve(app -> app.get("/schemas/ids/9", ctx -> {
            calls.incrementAndGet();
            Thread.sleep(5_000);
            ctx.result("{}");
        }));
        SchemaRegistryClient client = client(Map.of("http.read.timeout.ms", 300, "max.retries", 1));

        long start = System.nanoTime();
        assertThatThrownBy(() -> client.getSchemaById(9)).isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("did not answer");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        assertThat(calls).hasValue(2);
    }

    @Test
    void shouldFailOverToTheNextUrlWhenOneDoesNotAnswer() {
        serve(app -> app.get("/schemas/ids/4", ctx -> {
            calls.incrementAndGet();
            ctx.result("{\"schema\":" + quote(SCHEMA) + "}");
        }));
        String dead = "http://127.0.0.1:" + io.cxpulse.platform.Ports.free();
        SchemaRegistryClient client = new SchemaRegistryClient(SchemaRegistryClientConfig.fromMap(Map.of(
                "schema.registry.url", dead + "," + url(), "retries.wait.ms", 1)));

        assertThat(client.getSchemaById(4).getName()).isEqualTo("R");
        assertThat(calls).hasValue(1);
    }

    @Test
    void shouldSendBasicAuthFromUserInfo() {
        serve(app -> app.get("/subjects", ctx -> {
            calls.incrementAndGet();
            assertThat(ctx.basicAuthCredentials()).isNotNull();
            ctx.result("[\"" + ctx.basicAuthCredentials().getUsername() + ":"
                    + ctx.basicAuthCredentials().getPassword() + "\"]");
        }));

        SchemaRegistryClient client = client(Map.of("basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "svc:secret"));

        assertThat(client.getAllSubjects()).containsExactly("svc:secret");
    }

    private void serve(java.util.function.Consumer<Javalin> routes) {
        server = Javalin.create(config -> config.showJavalinBanner = false);
        routes.accept(server);
        server.start("127.0.0.1", 0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.port();
    }

    private SchemaRegistryClient client(Map<String, Object> extra) {
        Map<String, Object> config = new java.util.HashMap<>(extra);
        config.put("schema.registry.url", url());
        config.putIfAbsent("retries.wait.ms", 1);
        return new SchemaRegistryClient(SchemaRegistryClientConfig.fromMap(config));
    }

    private static String quote(String text) {
        return "\"" + text.replace("\"", "\\\"") + "\"";
    }
}
