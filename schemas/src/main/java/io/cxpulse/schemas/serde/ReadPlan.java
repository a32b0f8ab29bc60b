package io.cxpulse.schemas.serde;

import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.Decoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * How a generated record is read when it was written with its own schema (the same parsing canonical form), decided
 * once per schema: every field straight from the decoder into the value Avro's specific reader would give it.
 * Avro's reader resolves the writer schema against the reader schema for every field of every record, even when the
 * two are the same; a writer schema that differs goes through it still.
 *
 * <p>The shapes read directly are strings (as {@code String}, which the generated classes declare), int, long,
 * float, double, boolean, null, generated enums, {@code timestamp-millis} instants, unions, arrays and maps of
 * those, and nested records made only of them. A schema with anything else (bytes, fixed, another logical type, a
 * {@code java-class} or a string that is not a {@code String}) has no plan. Lengths and counts are checked by the
 * {@link BoundedDecoder} it reads from, as they are for Avro's reader; an index outside a union or an enum is an
 * error. {@code ReadPlanTest} checks the values against Avro's own reader; {@code SerdeRoundTripPropertyIT}
 * round-trips them through the serdes.
 */
final class ReadPlan {
    @FunctionalInterface
    interface Reader {
        Object read(Decoder in) throws IOException;
    }

    private static final int MAX_INITIAL_CAPACITY = BoundedDatumReaders.MAX_INITIAL_CAPACITY;

    private final Reader reader;

    private ReadPlan(Reader reader) {
        this.reader = reader;
    }

    /** The plan for the generated record {@code schema} under {@code model}, or null when it has none. */
    static ReadPlan of(Schema schema, SpecificData model) {
        if (schema.getType() != Schema.Type.RECORD) {
            return null;
        }
        Reader reader = new Planner(model).reader(schema);
        return reader == null ? null : new ReadPlan(reader);
    }

    /** Reads one record. */
    Object read(Decoder in) throws IOException {
        return reader.read(in);
    }

    private static final class Planner {
        private final SpecificData model;
        /** The records being planned, so that a recursive schema gets no plan instead of recursing forever. */
        private final Map<Schema, Boolean> open = new IdentityHashMap<>();

        Planner(SpecificData model) {
            this.model = model;
        }

        Reader reader(Schema schema) {
            if (schema.getProp(SpecificData.CLASS_PROP) != null) {
                return null;
            }
            LogicalType logical = schema.getLogicalType();
            if (logical != null) {
                return logical instanceof LogicalTypes.TimestampMillis && schema.getType() == Schema.Type.LONG
                        ? in -> Instant.ofEpochMilli(in.readLong())
                        : null;
            }
            return switch (schema.getType()) {
                case NULL -> in -> {
                    in.readNull();
                    return null;
                };
                case BOOLEAN -> Decoder::readBoolean;
                case INT -> Decoder::readInt;
                case LONG -> Decoder::readLong;
                case FLOAT -> Decoder::readFloat;
                case DOUBLE -> Decoder::readDouble;
                case STRING -> isJavaString(schema) ? Decoder::readString : null;
                case ENUM -> enumReader(schema);
                case UNION -> unionReader(schema);
                case ARRAY -> arrayReader(schema);
                case MAP -> mapReader(schema);
                case RECORD -> recordReader(schema);
                default -> null;
            };
        }

        private static boolean isJavaString(Schema schema) {
            return "String".equals(schema.getProp(GenericData.STRING_PROP));
        }

        private Reader enumReader(Schema schema) {
            Class<?> type = model.getClass(schema);
            if (type == null || !type.isEnum()) {
                return null;
            }
            List<String> symbols = schema.getEnumSymbols();
            Object[] values = new Object[symbols.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = model.createEnum(symbols.get(i), schema);
            }
            String name = schema.getFullName();
            return in -> {
                int index = in.readEnum();
                if (index < 0 || index >= values.length) {
                    throw new AvroRuntimeException("Malformed data: enum index " + index + " outside 0.."
                            + (values.length - 1) + " of " + name);
                }
                return values[index];
            };
        }

        private Reader unionReader(Schema schema) {
            List<Schema> types = schema.getTypes();
            Reader[] branches = new Reader[types.size()];
            for (int i = 0; i < branches.length; i++) {
                branches[i] = reader(types.get(i));
                if (branches[i] == null) {
                    return null;
                }
            }
            return in -> {
                int index = in.readIndex();
                if (index < 0 || index >= branches.length) {
                    throw new AvroRuntimeException("Malformed data: union index " + index + " outside 0.."
                            + (branches.length - 1));
                }
                return branches[index].read(in);
            };
        }

        private Reader arrayReader(Schema schema) {
            Reader element = reader(schema.getElementType());
            if (element == null) {
                return null;
            }
            return in -> {
                long count = in.readArrayStart();
                @SuppressWarnings("unchecked")
                List<Object> array = (List<Object>) model.newArray(null,
                        (int) Math.min(count, MAX_INITIAL_CAPACITY), schema);
                for (; count > 0; count = in.arrayNext()) {
                    for (long i = 0; i < count; i++) {
                        array.add(element.read(in));
                    }
                }
                return array;
            };
        }

        private Reader mapReader(Schema schema) {
            Reader value = reader(schema.getValueType());
            if (value == null || !isJavaString(schema)) {
                return null;
            }
            return in -> {
                long count = in.readMapStart();
                Map<String, Object> map = new HashMap<>((int) Math.min(count, MAX_INITIAL_CAPACITY));
                for (; count > 0; count = in.mapNext()) {
                    for (long i = 0; i < count; i++) {
                        String key = in.readString();
                        map.put(key, value.read(in));
                    }
                }
                return map;
            };
        }

        private Reader recordReader(Schema schema) {
            if (open.containsKey(schema) || model.getClass(schema) == null) {
                return null;
            }
            open.put(schema, Boolean.TRUE);
            try {
                List<Schema.Field> fields = schema.getFields();
                Reader[] readers = new Reader[fields.size()];
                for (int i = 0; i < readers.length; i++) {
                    readers[i] = reader(fields.get(i).schema());
                    if (readers[i] == null) {
                        return null;
                    }
                }
                return in -> {
                    SpecificRecordBase record = (SpecificRecordBase) model.newRecord(null, schema);
                    for (int i = 0; i < readers.length; i++) {
                        record.put(i, readers[i].read(in));
                    }
                    return record;
                };
            } finally {
                open.remove(schema);
            }
        }
    }
}
