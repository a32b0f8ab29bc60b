package io.cxpulse.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Random values of any Avro schema, from a {@link Random}: every field, union branch and enum symbol can appear,
 * with strings over the whole of Unicode (no lone surrogates) and timestamps far from today.
 */
public final class RandomRecords {
    private RandomRecords() {
    }

    /** A random instance of the generated class {@code type}. */
    public static <T extends SpecificRecord> T of(Class<T> type, Random random) {
        Schema schema = org.apache.avro.specific.SpecificData.get().getSchema(type);
        GenericRecord generic = (GenericRecord) value(schema, random, 0);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(schema).write(generic, encoder);
            encoder.flush();
            return new SpecificDatumReader<T>(schema).read(null,
                    DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Object value(Schema schema, Random random, int depth) {
        return switch (schema.getType()) {
            case RECORD -> {
                GenericData.Record record = new GenericData.Record(schema);
                schema.getFields().forEach(f -> record.put(f.pos(), value(f.schema(), random, depth + 1)));
                yield record;
            }
            case UNION -> value(schema.getTypes().get(random.nextInt(schema.getTypes().size())), random, depth);
            case ENUM -> new GenericData.EnumSymbol(schema,
                    schema.getEnumSymbols().get(random.nextInt(schema.getEnumSymbols().size())));
            case ARRAY -> {
                List<Object> items = new ArrayList<>();
                int size = random.nextInt(depth > 3 ? 2 : 6);
                for (int i = 0; i < size; i++) {
                    items.add(value(schema.getElementType(), random, depth + 1));
                }
                yield new GenericData.Array<>(schema, items);
            }
            case MAP -> {
                Map<String, Object> map = new HashMap<>();
                int size = random.nextInt(depth > 3 ? 2 : 5);
                for (int i = 0; i < size; i++) {
                    map.put(string(random), value(schema.getValueType(), random, depth + 1));
                }
                yield map;
            }
            case STRING -> string(random);
            case BYTES -> {
                byte[] bytes = new byte[random.nextInt(64)];
                random.nextBytes(bytes);
                yield ByteBuffer.wrap(bytes);
            }
            case INT -> switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> Integer.MIN_VALUE + random.nextInt(3);
                case 2 -> Integer.MAX_VALUE - random.nextInt(3);
                default -> random.nextInt();
            };
            case LONG -> schema.getLogicalType() != null
                    ? random.nextLong() % 8_000_000_000_000L
                    : random.nextBoolean() ? random.nextLong() : random.nextInt(1000);
            case DOUBLE -> random.nextBoolean() ? random.nextDouble() : random.nextGaussian() * 1e12;
            case FLOAT -> random.nextFloat();
            case BOOLEAN -> random.nextBoolean();
            case NULL -> null;
            case FIXED -> {
                byte[] bytes = new byte[schema.getFixedSize()];
                random.nextBytes(bytes);
                yield new GenericData.Fixed(schema, bytes);
            }
        };
    }

    static String string(Random random) {
        int length = random.nextInt(40);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int codePoint;
            switch (random.nextInt(4)) {
                case 0 -> codePoint = 0x20 + random.nextInt(0x5f);
                case 1 -> codePoint = random.nextInt(0x800);
                case 2 -> codePoint = 0x1F300 + random.nextInt(0x300);
                default -> {
                    do {
                        codePoint = random.nextInt(0x110000);
                    } while (codePoint >= 0xD800 && codePoint <= 0xDFFF);
                }
            }
            text.appendCodePoint(codePoint);
        }
        return text.toString();
    }
}
