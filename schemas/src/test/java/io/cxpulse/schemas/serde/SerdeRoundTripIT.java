package io.cxpulse.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.cxpulse.avro.CxAlert;
import io.cxpulse.avro.DeadLetter;
import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.avro.TicketEvent;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every event type through the real broker and registry with our serdes, checking the bytes on the topic. */
@ExtendWith(LocalPlatformExtension.class)
class SerdeRoundTripIT {
    LocalPlatform platform;
    SchemaRegistryClient registry;

    @BeforeEach
    void setUp(LocalPlatform platform) {
        this.platform = platform;
        this.registry = SchemaRegistryClient.forUrl(platform.schemaRegistryUrl());
    }

    @Test
    void shouldRoundTripSurveyResponses() {
        roundTrip(SurveyResponse.class, SampleEvents.survey());
    }

    @Test
    void shouldRoundTripTicketEvents() {
        roundTrip(TicketEvent.class, SampleEvents.ticket());
    }

    @Test
    void shouldRoundTripTouchpointEvents() {
        roundTrip(TouchpointEvent.class, SampleEvents.touchpoint());
    }

    @Test
    void shouldRoundTripDeadLetters() {
        roundTrip(DeadLetter.class, SampleEvents.deadLetter());
    }

    @Test
    void shouldRoundTripAlerts() {
        roundTrip(CxAlert.class, SampleEvents.alert());
    }

    @Test
    void shouldReadGenericRecordsWhenSpecificReaderIsOff() {
        String topic = topic();
        SurveyResponse event = SampleEvents.survey();
        byte[] frame = produceAndReadBack(topic, SurveyResponse.class, event);
        AvroDeserializer<Object> generic = new AvroDeserializer<>(registry);
        generic.configure(Map.of("schema.registry.url", platform.schemaRegistryUrl()), false);
        AvroDeserializer<Object> specific = new AvroDeserializer<>(registry);
        specific.configure(Map.of("schema.registry.url", platform.schemaRegistryUrl(),
                "specific.avro.reader", "true"), false);

        Object asGeneric = generic.deserialize(topic, frame);
        Object asSpecific = specific.deserialize(topic, frame);

        assertThat(asGeneric).isInstanceOf(GenericRecord.class).isNotInstanceOf(SpecificRecord.class);
        assertThat(((GenericRecord) asGeneric).get("customerId").toString()).isEqualTo("cust-42");
        assertThat(((GenericRecord) asGeneric).get("occurredAt")).isEqualTo(SampleEvents.OCCURRED.toEpochMilli());
        assertThat(asSpecific).isEqualTo(event);
    }

    @Test
    void shouldRoundTripGenericRecordsWithTheGenericSerde() {
        String topic = topic();
        GenericAvroSerde serde = new GenericAvroSerde(registry);
        serde.configure(Map.of("schema.registry.url", platform.schemaRegistryUrl()), false);
        GenericRecord record = new org.apache.avro.generic.GenericRecordBuilder(new org.apache.avro.Schema.Parser()
                .parse("{\"type\":\"record\",\"name\":\"G\",\"fields\":[{\"name\":\"n\",\"type\":\"long\"}]}"))
                .set("n", 7L).build();

        GenericRecord read = serde.deserializer().deserialize(topic, serde.serializer().serialize(topic, record));

        assertThat(read).isEqualTo(record);
        assertThat(registry.getLatestSchemaMetadata(topic + "-value").schema()).isEqualTo(record.getSchema());
    }

    @Test
    void shouldWriteKeysUnderTheKeySubject() {
        String topic = topic();
        AvroSerializer<Object> keys = new AvroSerializer<>(registry,
                Map.of("schema.registry.url", platform.schemaRegistryUrl()), true);

        byte[] frame = keys.serialize(topic, "cust-42");

        int id = registry.getLatestSchemaMetadata(topic + "-key").id();
        assertThat(ByteBuffer.wrap(frame, 1, 4).getInt()).isEqualTo(id);
        AvroDeserializer<Object> reader = new AvroDeserializer<>(registry);
        reader.configure(Map.of("schema.registry.url", platform.schemaRegistryUrl()), true);
        assertThat(reader.deserialize(topic, frame)).isEqualTo("cust-42");
    }

    private <T extends SpecificRecord> void roundTrip(Class<T> type, T event) {
        String topic = topic();

        byte[] frame = produceAndReadBack(topic, type, event);

        int registeredId = registry.getLatestSchemaMetadata(topic + "-value").id();
        assertThat(frame[0]).as("magic byte").isZero();
        assertThat(ByteBuffer.wrap(frame, 1, 4).getInt()).as("schema id").isEqualTo(registeredId);
        SpecificAvroSerde<T> serde = serde(type);
        assertThat(serde.deserializer().deserialize(topic, frame)).isEqualTo(event);
    }

    private <T extends SpecificRecord> byte[] produceAndReadBack(String topic, Class<T> type, T event) {
        platform.createTopic(topic, 3, Map.of());
        SpecificAvroSerde<T> serde = serde(type);
        try (KafkaProducer<String, T> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), serde.serializer())) {
            producer.send(new ProducerRecord<>(topic, "key", event));
        }
        List<byte[]> values = TopicReader.values(platform.bootstrapServers(), topic, new ByteArrayDeserializer(),
                1);
        assertThat(values).hasSize(1);
        return values.get(0);
    }

    private <T extends SpecificRecord> SpecificAvroSerde<T> serde(Class<T> type) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type, registry);
        serde.configure(Map.of("schema.registry.url", platform.schemaRegistryUrl()), false);
        return serde;
    }

    static String topic() {
        return "roundtrip-" + UUID.randomUUID();
    }
}
