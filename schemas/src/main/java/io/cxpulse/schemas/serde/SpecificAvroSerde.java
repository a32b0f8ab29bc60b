package io.cxpulse.schemas.serde;

import java.util.Map;

import io.cxpulse.schemas.registry.SchemaRegistryClient;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** A Kafka {@link Serde} for one generated Avro class, in the Confluent wire format. */
public final class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {
    private final AvroSerializer<T> serializer;
    private final AvroDeserializer<T> deserializer;

    /** A serde whose registry client is built by {@link #configure}. */
    public SpecificAvroSerde(Class<T> type) {
        this.serializer = new AvroSerializer<>();
        this.deserializer = new AvroDeserializer<>(null, type);
    }

    /** A serde that shares {@code client}; call {@link #configure} before use. */
    public SpecificAvroSerde(Class<T> type, SchemaRegistryClient client) {
        this.serializer = new AvroSerializer<>(client);
        this.deserializer = new AvroDeserializer<>(client, type);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
