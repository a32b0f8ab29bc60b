package io.cxpulse.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.javalin.Javalin;

import org.apache.kafka.common.config.ConfigException;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client over HTTPS, with Confluent's {@code schema.registry.ssl.*} settings, against a server that holds a
 * self-signed certificate made by the JDK's keytool and, in one test, demands a client certificate.
 */
class SchemaRegistryClientTlsTest {
    static final String PASSWORD = "changeit";
    @TempDir
    static Path dir;
    static Path keystore;
    static Path truststore;
    Javalin server;

    @BeforeAll
    static void makeCertificates() throws Exception {
        keystore = dir.resolve("registry.p12");
        truststore = dir.resolve("trust.p12");
        Path certificate = dir.resolve("registry.crt");
        keytool("-genkeypair", "-alias", "registry", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD);
        keytool("-exportcert", "-alias", "registry", "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "registry", "-file", certificate.toString(),
                "-storetype", "PKCS12", "-keystore", truststore.toString(), "-storepass", PASSWORD);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void shouldTalkHttpsWithTheConfiguredTruststore() {
        int port = serveHttps(false);

        SchemaRegistryClient client = new SchemaRegistryClient(SchemaRegistryClientConfig.fromMap(
                tls(port, false)));

        assertThat(client.getAllSubjects()).containsExactly("tls-ok");
    }

    @Test
    void shouldRefuseAServerItDoesNotTrust() {
        int port = serveHttps(false);
        Map<String, Object> config = new HashMap<>(Map.of("schema.registry.url", "https://127.0.0.1:" + port,
                "max.retries", 0));

        assertThatThrownBy(() -> new SchemaRegistryClient(SchemaRegistryClientConfig.fromMap(config))
                .getAllSubjects()).isInstanceOf(SchemaRegistryException.class).hasMessageContaining("did not answer");
    }

    @Test
    void shouldPresentAClientCertificateFromTheKeystore() {
        int port = serveHttps(true);

        SchemaRegistryClient withCertificate = new SchemaRegistryClient(SchemaRegistryClientConfig.fromMap(
                tls(port, true)));
        SchemaRegistryClient without = new SchemaRegistryClient(SchemaRegistryClientConfig.fromMap(
                tls(port, false)));

        assertThat(withCertificate.getAllSubjects()).containsExactly("tls-ok");
        assertThatThrownBy(without::getAllSubjects).isInstanceOf(SchemaRegistryException.class);
    }

    @Test
    void shouldNameTheKeyOfAStoreThatWillNotLoad() {
        Map<String, Object> config = new HashMap<>(tls(1, false));
        config.put("schema.registry.ssl.truststore.password", "wrong");

        assertThatThrownBy(() -> new SchemaRegistryClient(SchemaRegistryClientConfig.fromMap(config)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.ssl.truststore.location");
    }

    private Map<String, Object> tls(int port, boolean withKeystore) {
        Map<String, Object> config = new HashMap<>();
        config.put("schema.registry.url", "https://127.0.0.1:" + port);
        config.put("max.retries", 0);
        config.put("schema.registry.ssl.truststore.location", truststore.toString());
        config.put("schema.registry.ssl.truststore.password", PASSWORD);
        config.put("schema.registry.ssl.truststore.type", "PKCS12");
        if (withKeystore) {
            config.put("schema.registry.ssl.keystore.location", keystore.toString());
            config.put("schema.registry.ssl.keystore.password", PASSWORD);
            config.put("schema.registry.ssl.keystore.type", "PKCS12");
        }
        return config;
    }

    private int serveHttps(boolean needClientAuth) {
        server = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jetty.addConnector((jetty, httpConfig) -> {
                SslContextFactory.Server ssl = new SslContextFactory.Server();
                ssl.setKeyStorePath(keystore.toString());
                ssl.setKeyStorePassword(PASSWORD);
                ssl.setKeyStoreType("PKCS12");
                if (needClientAuth) {
                    ssl.setNeedClientAuth(true);
                    ssl.setTrustStorePath(truststore.toString());
                    ssl.setTrustStorePassword(PASSWORD);
                    ssl.setTrustStoreType("PKCS12");
                }
                ServerConnector connector = new ServerConnector(jetty, ssl, new HttpConnectionFactory(httpConfig));
                connector.setHost("127.0.0.1");
                connector.setPort(0);
                return connector;
            });
        });
        server.get("/subjects", ctx -> ctx.result("[\"tls-ok\"]"));
        server.start("127.0.0.1", 0);
        for (Connector connector : server.jettyServer().server().getConnectors()) {
            if (connector instanceof ServerConnector serverConnector
                    && serverConnector.getDefaultProtocol().toLowerCase().contains("ssl")) {
                return serverConnector.getLocalPort();
            }
        }
        throw new IllegalStateException("no TLS connector started");
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("keytool %s: %s", args[0], output).isZero();
    }
}
