package io.cxpulse.streams.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.cxpulse.avro.DeadLetter;
import io.cxpulse.avro.DeadLetterReason;
import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.platform.junit.LocalPlatformExtension;
import io.cxpulse.platform.junit.TopicReader;
import io.cxpulse.schemas.registry.SchemaRegistryClient;
import io.cxpulse.schemas.serde.AvroDeserializer;
import io.cxpulse.streams.MetricsStreamsApp;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A record that is not Avro, written around ingest on the real broker, is dead-lettered and counted. */
@ExtendWith(LocalPlatformExtension.class)
class PoisonRecordIT {

    @Test
    void shouldDeadLetterAPoisonRecordWithItsCoordinatesCountItAndKeepCounting(LocalPlatform platform)
            throws Exception {
        try (Pipeline pipeline = new Pipeline(platform)) {
            MetricsStreamsApp app = pipeline.startStreams("a");
            byte[] poison = {0, 0, 0, 0x7f, 0x7f, 1, 2, 3};
            RecordMetadata written;
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()), new StringSerializer(),
                    new ByteArraySerializer())) {
                written = producer.send(new ProducerRecord<>(pipeline.topic("survey-responses"), "c-poison",
                        poison)).get();
            }
            pipeline.send(Responses.nps(1, Instant.now(), 6));

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(pipeline.get(app,
                    "/v1/nps?window=24h").path("body").path("n").asLong()).isEqualTo(1));
            AvroDeserializer<DeadLetter> letters = new AvroDeserializer<>(
                    SchemaRegistryClient.forUrl(platform.schemaRegistryUrl()), DeadLetter.class);
            List<DeadLetter> deadLetters = TopicReader.values(platform.bootstrapServers(),
                    pipeline.topic("dead-letter"), letters, 1);

            assertThat(deadLetters).hasSize(1);
            DeadLetter letter = deadLetters.get(0);
            assertThat(letter.getReason()).isEqualTo(DeadLetterReason.UNDECODABLE);
            assertThat(letter.getOriginalTopic()).isEqualTo(pipeline.topic("survey-responses"));
            assertThat(letter.getOriginalPartition()).isEqualTo(written.partition());
            assertThat(letter.getOriginalOffset()).isEqualTo(written.offset());
            assertThat(letter.getOriginalTimestamp()).isEqualTo(Instant.ofEpochMilli(written.timestamp()));
            assertThat(letter.getValue()).isEqualTo(ByteBuffer.wrap(poison));
            assertThat(letter.getCause()).contains("schema id 32639");
            assertThat(pipeline.metrics(app))
                    .contains("cx_dead_letters_total{reason=\"UNDECODABLE\",type=\"survey_response\"} 1.0");
            assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }
}
