package io.cxpulse.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import io.cxpulse.avro.CxAlert;
import io.cxpulse.avro.DeadLetter;
import io.cxpulse.avro.FrictionAggregate;
import io.cxpulse.avro.SurveyAggregate;
import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.avro.TicketAggregate;
import io.cxpulse.avro.TicketEvent;
import io.cxpulse.avro.TouchpointEvent;
import io.cxpulse.schemas.RandomRecords;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * {@link ReadPlan} gives exactly what Avro's own reader gives (the same values of the same Java classes) for random
 * records of every generated type it has a plan for, and for random corruptions of them fails where Avro's reader
 * fails and reads what it reads where it does not.
 */
class ReadPlanTest {
    private static final List<Class<? extends SpecificRecord>> PLANNED = List.of(SurveyResponse.class,
            TicketEvent.class, TouchpointEvent.class, CxAlert.class, SurveyAggregate.class, TicketAggregate.class,
            FrictionAggregate.class);

    @Example
    void theEventTypesHavePlansAndATypeWithBytesHasNone() {
        for (Class<? extends SpecificRecord> type : PLANNED) {
            assertThat(plan(type)).as(type.getSimpleName()).isNotNull();
        }
        assertThat(plan(DeadLetter.class)).as("DeadLetter has a bytes field").isNull();
    }

    @Property(tries = 400)
    void readsWhatAvrosReaderReads(@ForAll("seeds") long seed, @ForAll @IntRange(min = 0, max = 6) int which) {
        Class<? extends SpecificRecord> type = PLANNED.get(which);
        SpecificRecord record = RandomRecords.of(type, new Random(seed));
        byte[] body = AvroBodies.of(record);

        Object planned = readWithPlan(type, body);
        Object avro = readWithAvro(type, body);

        assertThat(planned).isEqualTo(avro).isEqualTo(record);
        assertSameClasses(planned, avro, type.getSimpleName());
    }

    @Property(tries = 1000)
    void failsWhereAvrosReaderFailsOnCorruptBodies(@ForAll("seeds") long seed,
            @ForAll @IntRange(min = 0, max = 2) int which) {
        Class<? extends SpecificRecord> type = PLANNED.get(which);
        Random random = new Random(seed);
        byte[] body = AvroBodies.of(RandomRecords.of(type, random));
        byte[] corrupt = corrupt(body, random);

        Outcome planned = outcome(() -> readWithPlan(type, corrupt));
        Outcome avro = outcome(() -> readWithAvro(type, corrupt));

        assertThat(planned.failed()).as("plan failed: %s; Avro failed: %s", planned, avro)
                .isEqualTo(avro.failed());
        if (!avro.failed()) {
            assertThat(planned.value()).isEqualTo(avro.value());
            assertSameClasses(planned.value(), avro.value(), type.getSimpleName());
        }
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    private record Outcome(Object value, Throwable error) {
        boolean failed() {
            return error != null;
        }
    }

    private static Outcome outcome(Supplier<Object> read) {
        try {
            return new Outcome(read.get(), null);
        } catch (RuntimeException | OutOfMemoryError e) {
            return new Outcome(null, e);
        }
    }

    /** Flips, drops, adds or overwrites a few bytes, or cuts the body short. */
    private static byte[] corrupt(byte[] body, Random random) {
        byte[] bytes = body.clone();
        switch (random.nextInt(4)) {
            case 0 -> {
                for (int i = 0; i < 1 + random.nextInt(3) && bytes.length > 0; i++) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> {
                if (bytes.length > 0) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
            }
            case 2 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            default -> {
                byte[] longer = Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(4));
                for (int i = bytes.length; i < longer.length; i++) {
                    longer[i] = (byte) random.nextInt(256);
                }
                bytes = longer;
            }
        }
        return bytes;
    }

    private static ReadPlan plan(Class<? extends SpecificRecord> type) {
        return ReadPlan.of(SpecificData.get().getSchema(type), BoundedDatumReaders.specificModel());
    }

    private static Object readWithPlan(Class<? extends SpecificRecord> type, byte[] body) {
        return read(body, in -> plan(type).read(in));
    }

    private static Object readWithAvro(Class<? extends SpecificRecord> type, byte[] body) {
        Schema schema = SpecificData.get().getSchema(type);
        DatumReader<Object> reader = BoundedDatumReaders.specific(schema, schema);
        return read(body, in -> reader.read(null, in));
    }

    @FunctionalInterface
    private interface Read {
        Object read(BoundedDecoder in) throws IOException;
    }

    /** Reads {@code body} as {@link AvroDeserializer} does: bounded, and refusing bytes left over. */
    private static Object read(byte[] body, Read read) {
        try {
            BoundedDecoder in = new BoundedDecoder(DecoderFactory.get().binaryDecoder(body, 0, body.length, null),
                    body.length);
            Object value = read.read(in);
            if (!in.isEnd()) {
                throw new IOException("bytes left over");
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every value in {@code planned} has the class of its counterpart in {@code avro}, all the way down. */
    private static void assertSameClasses(Object planned, Object avro, String path) {
        if (avro == null) {
            assertThat(planned).as(path).isNull();
            return;
        }
        assertThat(planned).as(path).isNotNull();
        assertThat(planned.getClass()).as(path).isEqualTo(avro.getClass());
        if (avro instanceof IndexedRecord record) {
            IndexedRecord other = (IndexedRecord) planned;
            for (Schema.Field field : record.getSchema().getFields()) {
                assertSameClasses(other.get(field.pos()), record.get(field.pos()), path + "." + field.name());
            }
        } else if (avro instanceof List<?> list) {
            List<?> other = (List<?>) planned;
            for (int i = 0; i < list.size(); i++) {
                assertSameClasses(other.get(i), list.get(i), path + "[" + i + "]");
            }
        } else if (avro instanceof Map<?, ?> map) {
            Map<?, ?> other = (Map<?, ?>) planned;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object key = other.keySet().stream().filter(k -> k.equals(entry.getKey())).findFirst()
                        .orElseThrow();
                assertSameClasses(key, entry.getKey(), path + ".key");
                assertSameClasses(other.get(key), entry.getValue(), path + "{" + key + "}");
            }
        }
    }
}
