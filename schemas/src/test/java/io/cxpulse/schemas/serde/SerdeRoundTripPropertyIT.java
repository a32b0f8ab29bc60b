package io.cxpulse.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import io.cxpulse.avro.CxAlert;
import io.cxpulse.avro.DeadLetter;
import io.cxpulse.avro.SurveyAggregate;
import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.avro.TicketEvent;
import io.cxpulse.avro.TouchpointEvent;
import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.platform.junit.TemporaryPlatform;
import io.cxpulse.schemas.RandomRecords;
import io.cxpulse.schemas.registry.SchemaRegistryClient;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Random records of every type round-trip unchanged through our serdes and the real registry, and are written
 * byte for byte as Avro's own writer writes them.
 */
class SerdeRoundTripPropertyIT {
    private static TemporaryPlatform temporary;
    private static LocalPlatform platform;
    private static SchemaRegistryClient registry;

    @BeforeContainer
    static void startPlatform() {
        temporary = TemporaryPlatform.start();
        platform = temporary.platform();
        registry = SchemaRegistryClient.forUrl(platform.schemaRegistryUrl());
    }

    @AfterContainer
    static void stopPlatform() {
        temporary.close();
    }

    @Property(tries = 300)
    void surveyResponsesRoundTrip(@ForAll("surveys") SurveyResponse event) {
        assertRoundTrip(SurveyResponse.class, event);
    }

    @Property(tries = 300)
    void ticketEventsRoundTrip(@ForAll("tickets") TicketEvent event) {
        assertRoundTrip(TicketEvent.class, event);
    }

    @Property(tries = 300)
    void touchpointEventsRoundTrip(@ForAll("touchpoints") TouchpointEvent event) {
        assertRoundTrip(TouchpointEvent.class, event);
    }

    @Property(tries = 300)
    void deadLettersRoundTrip(@ForAll("deadLetters") DeadLetter event) {
        assertRoundTrip(DeadLetter.class, event);
    }

    @Property(tries = 300)
    void alertsRoundTrip(@ForAll("alerts") CxAlert event) {
        assertRoundTrip(CxAlert.class, event);
    }

    @Property(tries = 300)
    void surveyAggregatesRoundTrip(@ForAll("aggregates") SurveyAggregate aggregate) {
        assertRoundTrip(SurveyAggregate.class, aggregate);
    }

    @Example
    void aNullInAFieldThatCannotBeNullIsRefusedNamingTheField() {
        SurveyResponse event = RandomRecords.of(SurveyResponse.class, new Random(7));
        event.setCustomerId(null);
        SpecificAvroSerde<SurveyResponse> serde = new SpecificAvroSerde<>(SurveyResponse.class, registry);
        serde.configure(Map.of("schema.registry.url", platform.schemaRegistryUrl()), false);

        assertThatThrownBy(() -> serde.serializer().serialize("property.null-field", event))
                .isInstanceOf(SerializationException.class).hasMessageContaining("customerId");
    }

    @Provide
    Arbitrary<SurveyAggregate> aggregates() {
        return Arbitraries.randomValue(random -> RandomRecords.of(SurveyAggregate.class, random));
    }

    @Provide
    Arbitrary<SurveyResponse> surveys() {
        return Arbitraries.randomValue(random -> RandomRecords.of(SurveyResponse.class, random));
    }

    @Provide
    Arbitrary<TicketEvent> tickets() {
        return Arbitraries.randomValue(random -> RandomRecords.of(TicketEvent.class, random));
    }

    @Provide
    Arbitrary<TouchpointEvent> touchpoints() {
        return Arbitraries.randomValue(random -> RandomRecords.of(TouchpointEvent.class, random));
    }

    @Provide
    Arbitrary<DeadLetter> deadLetters() {
        return Arbitraries.randomValue(random -> RandomRecords.of(DeadLetter.class, random));
    }

    @Provide
    Arbitrary<CxAlert> alerts() {
        return Arbitraries.randomValue(random -> RandomRecords.of(CxAlert.class, random));
    }

    private static <T extends SpecificRecord> void assertRoundTrip(Class<T> type, T event) {
        String topic = "property." + type.getSimpleName();
        Map<String, String> config = Map.of("schema.registry.url", platform.schemaRegistryUrl());
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type, registry);
        serde.configure(config, false);
        AvroDeserializer<GenericRecord> generic = new AvroDeserializer<>(registry);
        generic.configure(config, false);

        byte[] frame = serde.serializer().serialize(topic, event);

        assertThat(frame[0]).isZero();
        assertThat(ByteBuffer.wrap(frame, 1, 4).getInt())
                .isEqualTo(registry.getLatestSchemaMetadata(topic + "-value").id());
        assertThat(serde.deserializer().deserialize(topic, frame)).isEqualTo(event);
        assertThat(generic.deserialize(topic, frame).getSchema()).isEqualTo(event.getSchema());
        assertThat(Arrays.copyOfRange(frame, WireFormat.HEADER_SIZE, frame.length))
                .as("the body is what Avro's own writer writes").isEqualTo(AvroBodies.of(event));
    }
}
