package io.cxpulse.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.avro.TouchpointEvent;
import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.platform.junit.LocalPlatformExtension;
import io.cxpulse.platform.junit.TopicReader;
import io.cxpulse.schemas.SampleEvents;
import io.cxpulse.schemas.registry.SchemaRegistryClient;

import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Interoperability with a Confluent client nobody here wrote: Confluent's own JavaScript Schema Registry client
 * and Avro serdes ({@code @confluentinc/schemaregistry}), over KafkaJS, fetching schemas from our registry over
 * HTTP. Needs Node.js and npm: skipped without them on a developer machine, failed without them in CI.
 */
@ExtendWith(LocalPlatformExtension.class)
class ConfluentJsInteropIT {
    static final Path DIR = Path.of("src", "test", "js", "confluent-interop").toAbsolutePath();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void installConfluentJs() throws Exception {
        boolean haveNode = works("node", "--version") && works("npm", "--version");
        if (!haveNode) {
            if (System.getenv("CI") != null) {
                Assertions.fail("Node.js and npm are required in CI for the Confluent JS interoperability test");
            }
            Assumptions.abort("Node.js and npm are not installed: Confluent JS interoperability not checked");
        }
        if (!Files.isDirectory(DIR.resolve("node_modules/@confluentinc/schemaregistry"))
                || !Files.isDirectory(DIR.resolve("node_modules/kafkajs"))) {
            Result install = run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
            assertThat(install.exitCode()).as("npm ci failed:%n%s", install.stderr()).isZero();
        }
    }

    @Test
    void confluentJsShouldDecodeWhatOurSerializerWrote(LocalPlatform platform) throws Exception {
        String topic = "interop-" + UUID.randomUUID();
        platform.createTopic(topic, 1, Map.of());
        SurveyResponse survey = SampleEvents.survey();
        produce(platform, topic, SurveyResponse.class, survey);

        Result result = run(List.of("node", "interop.mjs", "consume", platform.bootstrapServers(),
                platform.schemaRegistryUrl(), topic, "1"), 120);

        assertThat(result.exitCode()).as("node failed:%n%s", result.stderr()).isZero();
        JsonNode decoded = JSON.readTree(result.stdout().strip());
        assertThat(decoded.path("eventId").asText()).isEqualTo(survey.getEventId());
        assertThat(decoded.path("customerId").asText()).isEqualTo("cust-42");
        assertThat(decoded.path("metric").asText()).isEqualTo("NPS");
        assertThat(decoded.path("score").asInt()).isEqualTo(6);
        assertThat(decoded.path("comment").asText()).isEqualTo(survey.getComment());
        assertThat(decoded.path("occurredAt").asLong()).isEqualTo(SampleEvents.OCCURRED.toEpochMilli());
        assertThat(decoded.path("attributes").path("campaign").asText()).isEqualTo("q4");
    }

    @Test
    void confluentJsShouldDecodeEnumsArraysAndOptionalFields(LocalPlatform platform) throws Exception {
        String topic = "interop-touch-" + UUID.randomUUID();
        platform.createTopic(topic, 1, Map.of());
        produce(platform, topic, TouchpointEvent.class, SampleEvents.touchpoint());

        Result result = run(List.of("node", "interop.mjs", "consume", platform.bootstrapServers(),
                platform.schemaRegistryUrl(), topic, "1"), 120);

        assertThat(result.exitCode()).as("node failed:%n%s", result.stderr()).isZero();
        JsonNode decoded = JSON.readTree(result.stdout().strip());
        assertThat(decoded.path("frictionSignals").toString()).isEqualTo("[\"ERROR\",\"RETRY\"]");
        assertThat(decoded.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(decoded.path("durationMs").asLong()).isEqualTo(48_000L);
        assertThat(decoded.path("channel").asText()).isEqualTo("MOBILE_APP");
    }

    @Test
    void ourDeserializerShouldReadWhatConfluentJsRegisteredAndWrote(LocalPlatform platform) throws Exception {
        String topic = "interop-js-" + UUID.randomUUID();
        platform.createTopic(topic, 1, Map.of());

        Result result = run(List.of("node", "interop.mjs", "produce", platform.bootstrapServers(),
                platform.schemaRegistryUrl(), topic), 120);

        assertThat(result.exitCode()).as("node failed:%n%s", result.stderr()).isZero();
        int id = JSON.readTree(result.stdout().strip()).path("id").asInt();
        SchemaRegistryClient registry = SchemaRegistryClient.forUrl(platform.schemaRegistryUrl());
        assertThat(registry.getLatestSchemaMetadata(topic + "-value").id()).isEqualTo(id);
        List<byte[]> frames = TopicReader.values(platform.bootstrapServers(), topic, new ByteArrayDeserializer(),
                1);
        assertThat(frames).hasSize(1);
        AvroDeserializer<GenericRecord> deserializer = new AvroDeserializer<>(registry);
        deserializer.configure(Map.of("schema.registry.url", platform.schemaRegistryUrl()), false);
        GenericRecord record = deserializer.deserialize(topic, frames.get(0));
        assertThat(record.getSchema().getFullName()).isEqualTo("interop.js.JsFeedback");
        assertThat(record.get("id").toString()).isEqualTo("js-1");
        assertThat(record.get("score")).isEqualTo(10);
        assertThat(record.get("note").toString()).isEqualTo("written by Confluent JS");
    }

    private static <T extends SpecificRecord> void produce(LocalPlatform platform, String topic, Class<T> type,
            T event) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(Map.of("schema.registry.url", platform.schemaRegistryUrl()), false);
        try (KafkaProducer<String, T> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), serde.serializer())) {
            producer.send(new ProducerRecord<>(topic, "cust-42", event));
        }
    }

    record Result(int exitCode, String stdout, String stderr) {
    }

    private static boolean works(String... command) {
        try {
            return run(List.of(command), 30).exitCode() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("interop", ".out");
        Path err = Files.createTempFile("interop", ".err");
        try {
            Process process = new ProcessBuilder(new ArrayList<>(command)).directory(DIR.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, Files.readString(out), "timed out after " + timeoutSeconds + " s\n"
                        + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
