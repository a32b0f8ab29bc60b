package io.cxpulse.schemas.serde;

import io.cxpulse.schemas.registry.SchemaRegistryClient;

import org.apache.avro.specific.SpecificRecord;

/** A Kafka serde for one generated Avro class, in the Confluent wire format; call {@code configure} before use. */
public final class SpecificAvroSerde<T extends SpecificRecord> extends AvroSerde<T> {

    /** A serde whose registry client is built by {@code configure}. */
    public SpecificAvroSerde(Class<T> type) {
        super(new AvroSerializer<>(), new AvroDeserializer<>(null, type));
    }

    /** A serde that shares {@code client}. */
    public SpecificAvroSerde(Class<T> type, SchemaRegistryClient client) {
        super(new AvroSerializer<>(client), new AvroDeserializer<>(client, type));
    }
}
