package io.cxpulse.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.cxpulse.platform.junit.TopicReader;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main class in its own process: it says where it listens, and SIGTERM (Ctrl-C) loses nothing. */
class LocalPlatformMainIT {
    static final Pattern KAFKA = Pattern.compile("Kafka bootstrap servers: (\\S+)");
    static final Pattern REGISTRY = Pattern.compile("Schema registry: +(\\S+)");

    @Test
    void shouldStopCleanlyOnSigtermAndKeepEverythingAcknowledged(@TempDir Path dataDir) throws Exception {
        int kafkaPort = Ports.free();
        Running first = start(dataDir, kafkaPort);
        String schema = "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Kept\\\","
                + "\\\"fields\\\":[{\\\"name\\\":\\\"a\\\",\\\"type\\\":\\\"int\\\"}]}\"}";
        String registered = http("POST", first.registryUrl() + "/subjects/kept-value/versions", schema);
        createAndFill(first.bootstrapServers());

        // SIGTERM, as Ctrl-C sends; Process.destroy() would also close our end of the child's stdout
        first.process().toHandle().destroy();

        assertThat(first.process().waitFor(60, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
        assertThat(first.output()).contains("Local platform stopped.");
        Running second = start(dataDir, kafkaPort);
        try {
            assertThat(http("POST", second.registryUrl() + "/subjects/kept-value", schema))
                    .contains(registered.replaceAll("[{}]", ""));
            assertThat(countRecords(second.bootstrapServers())).isEqualTo(50);
        } finally {
            second.process().destroy();
            second.process().waitFor(60, TimeUnit.SECONDS);
        }
    }

    record Running(Process process, String bootstrapServers, String registryUrl, List<String> lines,
            Thread drain) {
        /** Everything the process printed; waits for the end of its output when it has exited. */
        String output() throws InterruptedException {
            drain.join(10_000);
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }
    }

    private static Running start(Path dataDir, int kafkaPort) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LocalPlatformMain.class.getName(), dataDir.toString(), "--kafka-port", Integer.toString(kafkaPort),
                "--registry-port", "0")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new ArrayList<>();
        BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String bootstrap = null;
        String registry = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String line;
        while (System.nanoTime() < deadline && (line = reader.readLine()) != null) {
            lines.add(line);
            Matcher kafka = KAFKA.matcher(line);
            Matcher reg = REGISTRY.matcher(line);
            if (kafka.find()) {
                bootstrap = kafka.group(1);
            } else if (reg.find()) {
                registry = reg.group(1);
            } else if (line.startsWith("Ready.")) {
                break;
            }
        }
        assertThat(bootstrap).as("printed Kafka address in %s", lines).isEqualTo("127.0.0.1:" + kafkaPort);
        assertThat(registry).as("printed registry URL in %s", lines).startsWith("http://127.0.0.1:");
        Thread drain = new Thread(() -> {
            try {
                String more;
                while ((more = reader.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(more);
                    }
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        drain.setDaemon(true);
        drain.start();
        return new Running(process, bootstrap, registry, lines, drain);
    }

    private static void createAndFill(String bootstrapServers) {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", bootstrapServers))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("kept", 2, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>("kept", "k" + i, "v" + i));
            }
            producer.flush();
        }
    }

    private static int countRecords(String bootstrapServers) {
        return TopicReader.values(bootstrapServers, "kept", new StringDeserializer(), 50).size();
    }

    private static String http(String method, String url, String body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, url, response.body()).isEqualTo(200);
        return response.body();
    }
}
