package io.cxpulse.streams.topic;

import java.util.Map;

import io.cxpulse.schemas.registry.SchemaRegistryException;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Reads values with a delegate deserializer and never fails on a bad record: undecodable bytes, an unknown schema
 * id, or a null value become a {@link Decoded} failure for the topology to dead-letter. The registry being
 * unreachable is not a property of the record, so that failure is rethrown (Streams retries the task).
 */
public final class DecodingSerde<T> implements Serde<Decoded<T>> {
    private final Deserializer<T> delegate;

    public DecodingSerde(Deserializer<T> delegate) {
        this.delegate = delegate;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        delegate.configure(configs, isKey);
    }

    @Override
    public Serializer<Decoded<T>> serializer() {
        return (topic, decoded) -> {
            throw new UnsupportedOperationException("DecodingSerde only reads");
        };
    }

    @Override
    public Deserializer<Decoded<T>> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return Decoded.failed(null, new SerializationException("the record has no value (a tombstone)"));
            }
            try {
                return Decoded.of(delegate.deserialize(topic, bytes), bytes);
            } catch (SerializationException e) {
                if (e.getCause() instanceof SchemaRegistryException registry && !registry.isNotFound()) {
                    throw e;
                }
                return Decoded.failed(bytes, e);
            } catch (RuntimeException e) {
                return Decoded.failed(bytes, e);
            }
        };
    }
}
