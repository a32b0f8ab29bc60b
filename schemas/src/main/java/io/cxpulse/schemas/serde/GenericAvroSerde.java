package io.cxpulse.schemas.serde;

import io.cxpulse.schemas.registry.SchemaRegistryClient;

import org.apache.avro.generic.GenericRecord;

/** A Kafka serde for {@link GenericRecord}s, in the Confluent wire format; call {@code configure} before use. */
public final class GenericAvroSerde extends AvroSerde<GenericRecord> {

    /** A serde whose registry client is built by {@code configure}. */
    public GenericAvroSerde() {
        super(new AvroSerializer<>(), new AvroDeserializer<>());
    }

    /** A serde that shares {@code client}. */
    public GenericAvroSerde(SchemaRegistryClient client) {
        super(new AvroSerializer<>(client), new AvroDeserializer<>(client));
    }
}
