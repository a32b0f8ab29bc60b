package io.cxpulse.schemas.serde;

import java.util.Map;

import io.cxpulse.schemas.registry.SchemaRegistryClient;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** A Kafka {@link Serde} for {@link GenericRecord}s, in the Confluent wire format. */
public final class GenericAvroSerde implements Serde<GenericRecord> {
    private final AvroSerializer<GenericRecord> serializer;
    private final AvroDeserializer<GenericRecord> deserializer;

    /** A serde whose registry client is built by {@link #configure}. */
    public GenericAvroSerde() {
        this.serializer = new AvroSerializer<>();
        this.deserializer = new AvroDeserializer<>();
    }

    /** A serde that shares {@code client}; call {@link #configure} before use. */
    public GenericAvroSerde(SchemaRegistryClient client) {
        this.serializer = new AvroSerializer<>(client);
        this.deserializer = new AvroDeserializer<>(client);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<GenericRecord> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<GenericRecord> deserializer() {
        return deserializer;
    }
}
