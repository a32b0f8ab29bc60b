package io.cxpulse.ingest.publish;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.cxpulse.ingest.validation.EventValidator.Accepted;
import io.cxpulse.schemas.serde.FrameBuffer;
import io.cxpulse.schemas.serde.WireFormat;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;

/**
 * Writes accepted events of one schema in the Confluent wire format, straight from their values by field
 * position, by a plan made once from the schema: no generated record is filled and read back, and one buffer per
 * thread is reused. The writing itself is Avro's encoder's, called in the order Avro's own datum writer calls it,
 * so the bytes are the same ({@code EventEncoderPropertyTest} checks them against Avro's writer).
 *
 * <p>The plan covers the shapes the event schemas use: strings, ints, longs, enums, {@code timestamp-millis}
 * instants, arrays of enums, maps of strings, and optional values ({@code [null, T]}) of those. A schema with any
 * other shape is refused when the plan is made, at the service's start.
 */
final class EventEncoder {
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    /**
     * The largest frame after which a thread keeps its buffer: events are about 150 bytes, but one with 50
     * attributes of 1,000 characters is some 150 KB, and every request thread would otherwise keep that much.
     */
    private static final int MAX_KEPT_FRAME = 16 * 1024;

    private final byte[] header = new byte[WireFormat.HEADER_SIZE];
    private final Slot[] slots;

    /** How one field is written. */
    private enum Shape { STRING, INT, LONG, TIMESTAMP_MILLIS, ENUM, ENUM_ARRAY, STRING_MAP }

    /**
     * One field of the record, in the schema's order.
     *
     * @param nullBranch the null branch of an optional field's union, or -1 for a field that must have a value
     */
    private record Slot(String name, int position, Shape shape, int nullBranch) {
    }

    /** The frame buffer and Avro encoder one thread writes with. */
    private static final class Scratch {
        final FrameBuffer out = new FrameBuffer(512);
        final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    }

    /**
     * @throws IllegalArgumentException if a field of {@code schema} has a shape the plan does not cover, or an enum
     *                                  whose generated class orders its symbols differently from the schema
     */
    EventEncoder(Schema schema, int schemaId) {
        WireFormat.writeHeader(header, schemaId);
        List<Schema.Field> fields = schema.getFields();
        slots = new Slot[fields.size()];
        for (Schema.Field field : fields) {
            Schema type = field.schema();
            int nullBranch = nullBranch(type);
            Schema present = nullBranch < 0 ? type : type.getTypes().get(1 - nullBranch);
            slots[field.pos()] = new Slot(field.name(), field.pos(), shape(schema, field.name(), present), nullBranch);
        }
    }

    /** {@code event}'s record, framed with the schema id. */
    byte[] encode(Accepted event) throws IOException {
        Scratch scratch = SCRATCH.get();
        FrameBuffer out = scratch.out;
        BinaryEncoder encoder = scratch.encoder;
        out.reset();
        out.write(header, 0, header.length);
        for (Slot slot : slots) {
            Object value = event.value(slot.position());
            if (slot.nullBranch() >= 0) {
                if (value == null) {
                    encoder.writeIndex(slot.nullBranch());
                    continue;
                }
                encoder.writeIndex(1 - slot.nullBranch());
            } else if (value == null) {
                throw new IllegalArgumentException("field " + slot.name() + " has no value and is not optional");
            }
            write(encoder, slot.shape(), value);
        }
        encoder.flush();
        byte[] frame = out.toByteArray();
        if (frame.length > MAX_KEPT_FRAME) {
            SCRATCH.remove();
        }
        return frame;
    }

    private static void write(BinaryEncoder encoder, Shape shape, Object value) throws IOException {
        switch (shape) {
            case STRING -> encoder.writeString(value.toString());
            case INT -> encoder.writeInt((Integer) value);
            case LONG -> encoder.writeLong((Long) value);
            case TIMESTAMP_MILLIS -> encoder.writeLong(((Instant) value).toEpochMilli());
            case ENUM -> encoder.writeEnum(((Enum<?>) value).ordinal());
            case ENUM_ARRAY -> {
                List<?> items = (List<?>) value;
                encoder.writeArrayStart();
                encoder.setItemCount(items.size());
                for (Object item : items) {
                    encoder.startItem();
                    encoder.writeEnum(((Enum<?>) item).ordinal());
                }
                encoder.writeArrayEnd();
            }
            case STRING_MAP -> {
                Map<?, ?> entries = (Map<?, ?>) value;
                encoder.writeMapStart();
                encoder.setItemCount(entries.size());
                for (Map.Entry<?, ?> entry : entries.entrySet()) {
                    encoder.startItem();
                    encoder.writeString(entry.getKey().toString());
                    encoder.writeString(entry.getValue().toString());
                }
                encoder.writeMapEnd();
            }
        }
    }

    private static Shape shape(Schema record, String field, Schema type) {
        if (type.getLogicalType() != null) {
            if (type.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
                return Shape.TIMESTAMP_MILLIS;
            }
        } else {
            switch (type.getType()) {
                case STRING:
                    return Shape.STRING;
                case INT:
                    return Shape.INT;
                case LONG:
                    return Shape.LONG;
                case ENUM:
                    return enumShape(type, Shape.ENUM);
                case ARRAY:
                    if (type.getElementType().getType() == Schema.Type.ENUM) {
                        return enumShape(type.getElementType(), Shape.ENUM_ARRAY);
                    }
                    break;
                case MAP:
                    if (type.getValueType().getType() == Schema.Type.STRING) {
                        return Shape.STRING_MAP;
                    }
                    break;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("field " + field + " of " + record.getFullName() + " is of type " + type
                + ", which ingest's encoder does not write");
    }

    /** {@code shape}, after checking that the generated enum's ordinals are the schema's symbol indexes. */
    private static Shape enumShape(Schema type, Shape shape) {
        Class<?> generated = SpecificData.get().getClass(type);
        Object[] constants = generated == null ? null : generated.getEnumConstants();
        if (constants == null || constants.length != type.getEnumSymbols().size()) {
            throw new IllegalArgumentException("enum " + type.getFullName()
                    + " has no generated class that matches it");
        }
        for (Object constant : constants) {
            Enum<?> symbol = (Enum<?>) constant;
            if (type.getEnumOrdinal(symbol.name()) != symbol.ordinal()) {
                throw new IllegalArgumentException("enum " + type.getFullName() + " orders " + symbol.name()
                        + " differently from its generated class");
            }
        }
        return shape;
    }

    /** The null branch of an optional union ({@code [null, T]} or {@code [T, null]}), or -1. */
    private static int nullBranch(Schema type) {
        if (type.getType() != Schema.Type.UNION || type.getTypes().size() != 2) {
            return -1;
        }
        List<Schema> types = type.getTypes();
        return types.get(0).getType() == Schema.Type.NULL ? 0 : types.get(1).getType() == Schema.Type.NULL ? 1 : -1;
    }
}
