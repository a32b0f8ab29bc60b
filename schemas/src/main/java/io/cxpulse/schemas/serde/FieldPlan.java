package io.cxpulse.schemas.serde;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.io.Encoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * How one field of a generated record is written, decided once per schema: the common shapes (strings, numbers,
 * booleans, enums, {@code timestamp-millis} instants, and optional values of those) straight to the encoder,
 * everything else (nested records, arrays, maps, other unions and logical types, and any null where the schema
 * has none) through Avro's own field writer. Avro's {@code GenericDatumWriter} works the same decisions out
 * again for every field of every record; the bytes are the same (checked against Avro's own writer in
 * {@code SerdeRoundTripPropertyIT}).
 */
@FunctionalInterface
interface FieldPlan {
    /** Writes field {@code field} of {@code record}; {@code avro} writes it Avro's way. */
    void write(SpecificRecordBase record, Encoder out, AvroFallback avro) throws IOException;

    /** Avro's own writer for one field, for the shapes a plan does not cover and for errors worded as Avro's. */
    @FunctionalInterface
    interface AvroFallback {
        void writeField(SpecificRecordBase record, Schema.Field field, Encoder out) throws IOException;
    }

    /** A plan for every field of {@code record}, in the schema's order. */
    static FieldPlan[] of(Schema record) {
        List<Schema.Field> fields = record.getFields();
        FieldPlan[] plans = new FieldPlan[fields.size()];
        for (int i = 0; i < plans.length; i++) {
            plans[i] = of(fields.get(i));
        }
        return plans;
    }

    private static FieldPlan of(Schema.Field field) {
        int pos = field.pos();
        Schema schema = field.schema();
        Value direct = Value.of(schema);
        if (direct != null) {
            return (record, out, avro) -> {
                Object value = record.get(pos);
                if (value == null || !direct.write(value, out)) {
                    avro.writeField(record, field, out);
                }
            };
        }
        int nullBranch = nullBranch(schema);
        Value present = nullBranch < 0 ? null : Value.of(schema.getTypes().get(1 - nullBranch));
        if (present == null) {
            return (record, out, avro) -> avro.writeField(record, field, out);
        }
        return (record, out, avro) -> {
            Object value = record.get(pos);
            if (value == null) {
                out.writeIndex(nullBranch);
            } else if (present.accepts(value)) {
                out.writeIndex(1 - nullBranch);
                present.writer().write(value, out);
            } else {
                avro.writeField(record, field, out);
            }
        };
    }

    /** The null branch of an optional union ({@code [null, T]} or {@code [T, null]}), or -1. */
    private static int nullBranch(Schema schema) {
        if (schema.getType() != Schema.Type.UNION || schema.getTypes().size() != 2) {
            return -1;
        }
        List<Schema> types = schema.getTypes();
        return types.get(0).getType() == Schema.Type.NULL ? 0 : types.get(1).getType() == Schema.Type.NULL ? 1 : -1;
    }

    /**
     * A non-null value of one plain schema, written directly.
     *
     * @param accepts whether a value has the Java type this shape writes
     * @param writer  writes an accepted value
     */
    record Value(Predicate<Object> accepts, Writer writer) {
        @FunctionalInterface
        interface Writer {
            void write(Object value, Encoder out) throws IOException;
        }

        static final Value STRING = new Value(CharSequence.class::isInstance,
                (value, out) -> out.writeString((CharSequence) value));
        static final Value INT = new Value(Integer.class::isInstance, (value, out) -> out.writeInt((Integer) value));
        static final Value LONG = new Value(Long.class::isInstance, (value, out) -> out.writeLong((Long) value));
        /** {@code timestamp-millis}: an {@link Instant} (the generated classes' type) or a raw long. */
        static final Value TIMESTAMP_MILLIS = new Value(value -> value instanceof Instant || value instanceof Long,
                (value, out) -> out.writeLong(value instanceof Instant instant ? instant.toEpochMilli()
                        : (Long) value));
        static final Value DOUBLE = new Value(Double.class::isInstance,
                (value, out) -> out.writeDouble((Double) value));
        static final Value FLOAT = new Value(Float.class::isInstance, (value, out) -> out.writeFloat((Float) value));
        static final Value BOOLEAN = new Value(Boolean.class::isInstance,
                (value, out) -> out.writeBoolean((Boolean) value));
        /** A generated enum: its ordinal is its symbol's index, which is what Avro's specific writer writes. */
        static final Value ENUM = new Value(Enum.class::isInstance,
                (value, out) -> out.writeEnum(((Enum<?>) value).ordinal()));

        boolean accepts(Object value) {
            return accepts.test(value);
        }

        /** Writes {@code value} if it has this shape's Java type; false (nothing written) if not. */
        boolean write(Object value, Encoder out) throws IOException {
            if (!accepts.test(value)) {
                return false;
            }
            writer.write(value, out);
            return true;
        }

        /** The direct shape for {@code schema}, or null when Avro's writer must handle it. */
        static Value of(Schema schema) {
            LogicalType logical = schema.getLogicalType();
            if (logical != null) {
                return logical instanceof LogicalTypes.TimestampMillis ? TIMESTAMP_MILLIS : null;
            }
            if (schema.getProp(SpecificData.CLASS_PROP) != null) {
                return null;
            }
            return switch (schema.getType()) {
                case STRING -> STRING;
                case INT -> INT;
                case LONG -> LONG;
                case DOUBLE -> DOUBLE;
                case FLOAT -> FLOAT;
                case BOOLEAN -> BOOLEAN;
                case ENUM -> ENUM;
                default -> null;
            };
        }
    }
}
