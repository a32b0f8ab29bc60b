package io.cxpulse.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.cxpulse.schemas.registry.SchemaMetadata;
import io.cxpulse.schemas.registry.SchemaRegistryClient;
import io.cxpulse.schemas.registry.SchemaRegistryException;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records (generated {@link SpecificRecord}s, {@code GenericRecord}s, enums, or primitives) in the
 * Confluent wire format, with the schema id from the registry under the subject {@code <topic>-value} or
 * {@code <topic>-key}.
 *
 * <p>With {@code auto.register.schemas=true} (the default) the record's schema is registered; otherwise, with
 * {@code use.latest.version=true}, the subject's latest schema is used to write; otherwise the record's schema
 * must already be registered under the subject.
 */
public class AvroSerializer<T> implements Serializer<T> {
    /** Java types written as Avro primitives, as Confluent's serializer does for keys and simple values. */
    private static final Map<Class<?>, Schema.Type> PRIMITIVES = Map.of(
            CharSequence.class, Schema.Type.STRING, Integer.class, Schema.Type.INT, Long.class, Schema.Type.LONG,
            Boolean.class, Schema.Type.BOOLEAN, Double.class, Schema.Type.DOUBLE, Float.class, Schema.Type.FLOAT,
            byte[].class, Schema.Type.BYTES, ByteBuffer.class, Schema.Type.BYTES);
    private SchemaRegistryClient client;
    private AvroSerdeConfig config;
    private boolean isKey;
    private final Map<Schema, DatumWriter<Object>> specificWriters = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<Object>> genericWriters = new ConcurrentHashMap<>();
    /**
     * The id last found for a topic and schema, when it cannot change (registered or looked up, not the
     * subject's latest): a producer sends one schema to one topic, so this skips the registry client's maps.
     */
    private volatile KnownId lastId;

    private record KnownId(String topic, Schema schema, int id) {
    }

    /** A serializer that builds its registry client from {@link #configure}. */
    public AvroSerializer() {
    }

    /** A serializer that shares {@code client}; {@link #configure} still reads the other settings. */
    public AvroSerializer(SchemaRegistryClient client) {
        this.client = client;
    }

    /** A ready serializer with {@code client} and the settings in {@code configs}. */
    public AvroSerializer(SchemaRegistryClient client, Map<String, ?> configs, boolean isKey) {
        this.client = client;
        configure(configs, isKey);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.config = AvroSerdeConfig.fromMap(configs);
        this.isKey = isKey;
        this.lastId = null;
        if (client == null) {
            client = new SchemaRegistryClient(config.registry());
        }
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (config == null) {
            throw new IllegalStateException("AvroSerializer used before configure()");
        }
        Schema recordSchema = schemaOf(data, topic);
        Object datum = data instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : data;
        KnownId known = lastId;
        if (known != null && known.schema == recordSchema && known.topic.equals(topic)) {
            return frame(known.id, recordSchema, datum, topic);
        }
        String subject = AvroSerdeConfig.subject(topic, isKey);
        int id;
        Schema writerSchema = recordSchema;
        try {
            if (config.autoRegister()) {
                id = client.register(subject, recordSchema);
            } else if (config.useLatestVersion()) {
                SchemaMetadata latest = client.getLatestSchemaMetadata(subject);
                id = latest.id();
                writerSchema = latest.schema();
            } else {
                id = client.getId(subject, recordSchema);
            }
        } catch (SchemaRegistryException e) {
            throw new SerializationException("Could not get a schema id for subject '" + subject + "' (topic "
                    + topic + ", schema " + recordSchema.getFullName() + "): " + e.getMessage(), e);
        }
        if (!config.useLatestVersion() || config.autoRegister()) {
            lastId = new KnownId(topic, recordSchema, id);
        }
        if (!writerSchema.equals(recordSchema)) {
            datum = convert(datum, recordSchema, writerSchema, topic, subject);
        }
        return frame(id, writerSchema, datum, topic);
    }

    private byte[] frame(int id, Schema writerSchema, Object datum, String topic) {
        try {
            FrameBuffer out = new FrameBuffer(256);
            byte[] header = new byte[WireFormat.HEADER_SIZE];
            WireFormat.writeHeader(header, id);
            out.write(header, 0, header.length);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer(datum, writerSchema).write(datum, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Could not write a " + writerSchema.getFullName() + " record for topic "
                    + topic + " with schema id " + id + ": " + e, e);
        }
    }

    private DatumWriter<Object> writer(Object datum, Schema schema) {
        if (datum instanceof SpecificRecord) {
            return specificWriters.computeIfAbsent(schema, SpecificWriter::new);
        }
        return genericWriters.computeIfAbsent(schema, GenericDatumWriter::new);
    }

    /**
     * The branch of {@code union} for {@code datum} when the union is an optional value ({@code [null, T]} or
     * {@code [T, null]}), found by a null check; -1 for other unions. Avro's own resolution looks the datum's type
     * name up in the union's map for every optional field of every record, which is most of its cost.
     */
    static int optionalBranch(Schema union, Object datum) {
        List<Schema> types = union.getTypes();
        if (types.size() != 2) {
            return -1;
        }
        int nullBranch = types.get(0).getType() == Schema.Type.NULL ? 0
                : types.get(1).getType() == Schema.Type.NULL ? 1 : -1;
        if (nullBranch < 0) {
            return -1;
        }
        return datum == null ? nullBranch : 1 - nullBranch;
    }

    /**
     * Avro's writer for generated records, with each record's fields written from a {@link FieldPlan} made once
     * per schema, and the optional-value shortcut for the fields Avro's writer still handles: a generated class
     * types each optional field as its one non-null branch, so a non-null value is of that branch. (Generic
     * records keep Avro's own resolution, which also catches a value of the wrong type.)
     */
    private static final class SpecificWriter extends SpecificDatumWriter<Object> {
        private final Schema root;
        private final FieldPlan[] rootPlan;
        /** The field plans of nested record schemas. */
        private final Map<Schema, FieldPlan[]> nestedPlans = new ConcurrentHashMap<>();
        private final FieldPlan.AvroFallback avro = (record, field, out) -> writeField(record, field, out, null);

        SpecificWriter(Schema schema) {
            super(schema);
            this.root = schema;
            this.rootPlan = schema.getType() == Schema.Type.RECORD ? FieldPlan.of(schema) : null;
        }

        @Override
        protected void writeRecord(Schema schema, Object datum, Encoder out) throws IOException {
            if (!(datum instanceof SpecificRecordBase record) || record.getSchema() != schema) {
                super.writeRecord(schema, datum, out);
                return;
            }
            FieldPlan[] fields = schema == root ? rootPlan : nestedPlans.computeIfAbsent(schema, FieldPlan::of);
            for (FieldPlan field : fields) {
                field.write(record, out, avro);
            }
        }

        @Override
        protected int resolveUnion(Schema union, Object datum) {
            int branch = optionalBranch(union, datum);
            return branch >= 0 ? branch : super.resolveUnion(union, datum);
        }
    }

    /** Rewrites {@code datum} from its own schema into {@code target}'s, by Avro schema resolution. */
    private Object convert(Object datum, Schema own, Schema target, String topic, String subject) {
        try {
            FrameBuffer out = new FrameBuffer(256);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer(datum, own).write(datum, encoder);
            encoder.flush();
            return new GenericDatumReader<>(own, target)
                    .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("A " + own.getFullName() + " record for topic " + topic
                    + " cannot be written with the latest schema of subject '" + subject + "': " + e, e);
        }
    }

    private static Schema schemaOf(Object data, String topic) {
        if (data instanceof GenericContainer container) {
            return container.getSchema();
        }
        for (Map.Entry<Class<?>, Schema.Type> primitive : PRIMITIVES.entrySet()) {
            if (primitive.getKey().isInstance(data)) {
                return Schema.create(primitive.getValue());
            }
        }
        throw new SerializationException("Cannot serialize a " + data.getClass().getName() + " for topic " + topic
                + ": not an Avro record, enum or primitive");
    }
}
