package io.cxpulse.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.cxpulse.schemas.registry.SchemaRegistryClient;
import io.cxpulse.schemas.registry.SchemaRegistryException;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.Utf8;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire-format records: checks the magic byte, fetches the writer schema by id from the registry
 * (once per id), and resolves it against the reader schema, so records written with an older schema are read as
 * the newer one. A generated class written with its own schema is read by a {@link ReadPlan}, which gives the same
 * values without resolving every field again.
 *
 * <p>The reader schema is the given class's when one is given, the generated class matching the writer schema
 * when {@code specific.avro.reader=true}, and otherwise the writer schema itself ({@code GenericRecord}).
 *
 * <p>A frame that cannot be read raises a {@link SerializationException} that names the topic and, where known,
 * the schema id: a wrong magic byte, a frame shorter than its header, an unknown schema id, and a truncated or
 * corrupt body. When the registry could not be reached, the cause is the {@link SchemaRegistryException}, so
 * callers can tell an unavailable registry from a bad record.
 */
public class AvroDeserializer<T> implements Deserializer<T> {
    private SchemaRegistryClient client;
    private Class<? extends SpecificRecord> readerClass;
    private AvroSerdeConfig config;
    private final Map<ReaderKey, BodyReader> readers = new ConcurrentHashMap<>();

    /** Reads one record's body: a {@link ReadPlan} when there is one, else Avro's resolving reader. */
    @FunctionalInterface
    private interface BodyReader {
        Object read(BoundedDecoder in) throws IOException;
    }

    private record ReaderKey(int writerId, Schema reader) {
    }

    /** A deserializer that builds its registry client from {@link #configure}. */
    public AvroDeserializer() {
    }

    /** A deserializer that shares {@code client}; {@link #configure} still reads the other settings. */
    public AvroDeserializer(SchemaRegistryClient client) {
        this.client = client;
    }

    /** A deserializer that reads every record as {@code readerClass}, resolving older writer schemas. */
    public AvroDeserializer(SchemaRegistryClient client, Class<? extends SpecificRecord> readerClass) {
        this.client = client;
        this.readerClass = readerClass;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.config = AvroSerdeConfig.fromMap(configs);
        if (client == null) {
            client = new SchemaRegistryClient(config.registry());
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("AvroDeserializer used before configure()");
        }
        if (data.length < WireFormat.HEADER_SIZE) {
            throw new SerializationException("Record from topic " + topic + " has " + data.length
                    + " bytes, fewer than the 5-byte Confluent header (magic byte and schema id)");
        }
        if (data[0] != WireFormat.MAGIC_BYTE) {
            throw new SerializationException(String.format("Record from topic %s starts with magic byte 0x%02x, "
                    + "not 0x00: it is not in the Confluent wire format", topic, data[0]));
        }
        int id = WireFormat.schemaId(data);
        Schema writer = writerSchema(topic, id);
        Optional<Schema> specificReader = specificReaderSchema(writer, topic, id);
        Schema reader = specificReader.orElse(writer);
        BodyReader bodyReader = readers.computeIfAbsent(new ReaderKey(id, reader), key ->
                bodyReader(writer, specificReader));
        try {
            int bodyLength = data.length - WireFormat.HEADER_SIZE;
            BoundedDecoder decoder = new BoundedDecoder(DecoderFactory.get().binaryDecoder(data,
                    WireFormat.HEADER_SIZE, bodyLength, null), bodyLength);
            Object value = bodyReader.read(decoder);
            if (!decoder.isEnd()) {
                throw new IOException("bytes left over after the record ended");
            }
            return (T) plain(value);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Corrupt or truncated Avro body in record from topic " + topic
                    + " (schema id " + id + ", " + writer.getFullName() + "): " + e, e);
        }
    }

    private static BodyReader bodyReader(Schema writer, Optional<Schema> specificReader) {
        if (specificReader.isEmpty()) {
            DatumReader<Object> generic = BoundedDatumReaders.generic(writer, writer);
            return in -> generic.read(null, in);
        }
        Schema reader = specificReader.get();
        ReadPlan plan = SchemaNormalization.parsingFingerprint64(writer)
                == SchemaNormalization.parsingFingerprint64(reader)
                ? ReadPlan.of(reader, BoundedDatumReaders.specificModel()) : null;
        if (plan != null) {
            return plan::read;
        }
        DatumReader<Object> specific = BoundedDatumReaders.specific(writer, reader);
        return in -> specific.read(null, in);
    }

    private Schema writerSchema(String topic, int id) {
        try {
            return client.getSchemaById(id);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new SerializationException("Unknown schema id " + id + " in record from topic " + topic
                        + ": the registry has no such schema", e);
            }
            throw new SerializationException("Could not fetch schema id " + id + " for a record from topic " + topic
                    + ": " + e.getMessage(), e);
        }
    }

    /** The generated class's schema to read into, or empty to read {@code GenericRecord}s. */
    private Optional<Schema> specificReaderSchema(Schema writer, String topic, int id) {
        if (readerClass != null) {
            return Optional.of(SpecificData.get().getSchema(readerClass));
        }
        if (config != null && config.specificReader() && isNamed(writer)) {
            Class<?> generated = SpecificData.get().getClass(writer);
            if (generated == null) {
                throw new SerializationException("No generated class " + writer.getFullName()
                        + " on the classpath for schema id " + id + " in record from topic " + topic
                        + " (specific.avro.reader=true)");
            }
            return Optional.of(SpecificData.get().getSchema(generated));
        }
        return Optional.empty();
    }

    private static boolean isNamed(Schema schema) {
        return schema.getType() == Schema.Type.RECORD || schema.getType() == Schema.Type.ENUM
                || schema.getType() == Schema.Type.FIXED;
    }

    private static Object plain(Object value) {
        if (value instanceof Utf8 utf8) {
            return utf8.toString();
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        }
        return value;
    }
}
