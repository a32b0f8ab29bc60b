package io.cxpulse.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.cxpulse.avro.SurveyMetric;
import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.platform.junit.LocalPlatformExtension;
import io.cxpulse.schemas.SampleEvents;
import io.cxpulse.schemas.registry.SchemaRegistryClient;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Records written with an older schema are read through the newer reader schema. */
@ExtendWith(LocalPlatformExtension.class)
class SchemaEvolutionIT {
    /** SurveyResponse as an older producer knew it: no journeyStage, touchpoint or attributes. */
    static final Schema OLDER_SURVEY = olderSurvey();

    LocalPlatform platform;
    SchemaRegistryClient registry;
    String topic;

    @BeforeEach
    void setUp(LocalPlatform platform) {
        this.platform = platform;
        this.registry = SchemaRegistryClient.forUrl(platform.schemaRegistryUrl());
        this.topic = "evolution-" + UUID.randomUUID();
    }

    @Test
    void shouldReadARecordWrittenWithAnOlderSchemaAsTheNewerType() {
        AvroSerializer<Object> oldProducer = new AvroSerializer<>(registry, config(), false);
        byte[] oldFrame = oldProducer.serialize(topic, olderSurveyRecord());
        SpecificAvroSerde<SurveyResponse> newSerde = new SpecificAvroSerde<>(SurveyResponse.class, registry);
        newSerde.configure(config(), false);
        byte[] newFrame = newSerde.serializer().serialize(topic, SampleEvents.survey());

        SurveyResponse read = newSerde.deserializer().deserialize(topic, oldFrame);

        assertThat(registry.getAllVersions(topic + "-value")).containsExactly(1, 2);
        assertThat(read.getEventId()).isEqualTo("old-1");
        assertThat(read.getScore()).isEqualTo(9);
        assertThat(read.getMetric()).isEqualTo(SurveyMetric.NPS);
        assertThat(read.getOccurredAt()).isEqualTo(SampleEvents.OCCURRED);
        assertThat(read.getJourneyStage()).as("field added later reads as its default").isNull();
        assertThat(read.getAttributes()).isNull();
        assertThat(newSerde.deserializer().deserialize(topic, newFrame)).isEqualTo(SampleEvents.survey());
    }

    @Test
    void shouldWriteWithTheLatestRegisteredSchemaWhenAskedTo() {
        registry.register(topic + "-value", SurveyResponse.getClassSchema());
        Map<String, Object> latestOnly = Map.of("schema.registry.url", platform.schemaRegistryUrl(),
                "auto.register.schemas", false, "use.latest.version", true);
        AvroSerializer<Object> oldProducer = new AvroSerializer<>(registry, latestOnly, false);

        byte[] frame = oldProducer.serialize(topic, olderSurveyRecord());

        assertThat(java.nio.ByteBuffer.wrap(frame, 1, 4).getInt())
                .isEqualTo(registry.getLatestSchemaMetadata(topic + "-value").id());
        assertThat(registry.getAllVersions(topic + "-value")).containsExactly(1);
        SurveyResponse read = new AvroDeserializer<SurveyResponse>(registry, SurveyResponse.class)
                .deserialize(topic, frame);
        assertThat(read.getEventId()).isEqualTo("old-1");
    }

    @Test
    void shouldRefuseToWriteAnUnregisteredSchemaWhenAutoRegisterIsOff() {
        AvroSerializer<Object> producer = new AvroSerializer<>(registry, Map.of(
                "schema.registry.url", platform.schemaRegistryUrl(), "auto.register.schemas", "false"), false);

        assertThatThrownBy(() -> producer.serialize(topic, SampleEvents.survey()))
                .isInstanceOf(SerializationException.class).hasMessageContaining(topic + "-value")
                .hasMessageContaining("40401");
    }

    private Map<String, String> config() {
        return Map.of("schema.registry.url", platform.schemaRegistryUrl());
    }

    private static GenericRecord olderSurveyRecord() {
        return new GenericRecordBuilder(OLDER_SURVEY)
                .set("eventId", "old-1").set("occurredAt", SampleEvents.OCCURRED.toEpochMilli())
                .set("receivedAt", SampleEvents.RECEIVED.toEpochMilli()).set("source", "legacy")
                .set("customerId", "c-1").set("segment", null).set("channel", null).set("surveyId", "s")
                .set("metric", new GenericData.EnumSymbol(OLDER_SURVEY.getField("metric").schema(), "NPS"))
                .set("score", 9).set("comment", null).build();
    }

    private static Schema olderSurvey() {
        Schema current = SurveyResponse.getClassSchema();
        List<Schema.Field> fields = current.getFields().stream()
                .filter(f -> !List.of("journeyStage", "touchpoint", "attributes").contains(f.name()))
                .map(f -> new Schema.Field(f, f.schema()))
                .toList();
        return Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
    }
}
