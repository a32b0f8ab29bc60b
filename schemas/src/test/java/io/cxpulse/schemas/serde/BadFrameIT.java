package io.cxpulse.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.platform.junit.LocalPlatformExtension;
import io.cxpulse.schemas.SampleEvents;
import io.cxpulse.schemas.registry.SchemaRegistryClient;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each kind of bad frame raises a {@link SerializationException} that names the topic (and the schema id where
 * one was read), never a NullPointerException, an OutOfMemoryError or a hang.
 */
@ExtendWith(LocalPlatformExtension.class)
class BadFrameIT {
    static final String TOPIC = "bad-frames.v1";
    SchemaRegistryClient registry;
    AvroSerializer<Object> serializer;
    AvroDeserializer<SurveyResponse> specific;
    AvroDeserializer<Object> generic;
    byte[] good;
    int id;

    @BeforeEach
    void setUp(LocalPlatform platform) {
        Map<String, String> config = Map.of("schema.registry.url", platform.schemaRegistryUrl());
        registry = SchemaRegistryClient.forUrl(platform.schemaRegistryUrl());
        serializer = new AvroSerializer<>(registry, config, false);
        specific = new AvroDeserializer<>(registry, SurveyResponse.class);
        specific.configure(config, false);
        generic = new AvroDeserializer<>(registry);
        generic.configure(config, false);
        good = serializer.serialize(TOPIC, SampleEvents.survey());
        id = registry.getLatestSchemaMetadata(TOPIC + "-value").id();
    }

    @Test
    void shouldRefuseAWrongMagicByte() {
        byte[] frame = good.clone();
        frame[0] = 1;

        assertRefused(frame).hasMessageContaining("magic byte 0x01");
    }

    @Test
    void shouldRefuseAFrameShorterThanItsHeader() {
        assertRefused(new byte[] {0, 0, 0}).hasMessageContaining("fewer than the 5-byte");
        assertRefused(new byte[0]).hasMessageContaining("fewer than the 5-byte");
    }

    @Test
    void shouldRefuseAnUnknownSchemaId() {
        byte[] frame = good.clone();
        frame[1] = 0x7f;

        assertRefused(frame).hasMessageContaining("Unknown schema id " + (0x7f000000 | id));
    }

    @Test
    void shouldRefuseATruncatedBody() {
        for (int length = WireFormat.HEADER_SIZE; length < good.length; length += 7) {
            byte[] frame = Arrays.copyOf(good, length);

            assertRefused(frame).hasMessageContaining("schema id " + id);
        }
    }

    @Test
    void shouldRefuseTrailingBytes() {
        byte[] frame = Arrays.copyOf(good, good.length + 3);

        assertRefused(frame).hasMessageContaining("schema id " + id).hasMessageContaining("left over");
    }

    @Test
    void shouldRefuseAnEnumIndexOutOfRange() throws Exception {
        assertRefused(surveyBodyWith(encoder -> encoder.writeEnum(99))).hasMessageContaining("schema id " + id);
    }

    @Test
    void shouldRefuseAHugeStringLengthWithoutAllocatingIt() throws Exception {
        assertRefused(surveyBodyWith(encoder -> encoder.writeLong(Integer.MAX_VALUE - 16L)))
                .hasMessageContaining("schema id " + id);
    }

    @Test
    void shouldRefuseANegativeLength() throws Exception {
        assertRefused(surveyBodyWith(encoder -> encoder.writeLong(-5))).hasMessageContaining("schema id " + id);
    }

    @Test
    void shouldRefuseAHugeArrayCountWithoutAllocatingIt() throws Exception {
        byte[] touchpoint = serializer.serialize(TOPIC + ".touch", SampleEvents.touchpoint());
        int touchId = registry.getLatestSchemaMetadata(TOPIC + ".touch-value").id();
        // frictionSignals holds 2 items, written as the count 2 (zig-zag 0x04) followed by two enum indexes
        int countAt = indexOfCount(touchpoint);
        byte[] frame = new byte[touchpoint.length + 4];
        System.arraycopy(touchpoint, 0, frame, 0, countAt);
        byte[] hugeCount = zigZag(Integer.MAX_VALUE - 16L);
        System.arraycopy(hugeCount, 0, frame, countAt, hugeCount.length);
        System.arraycopy(touchpoint, countAt + 1, frame, countAt + hugeCount.length,
                touchpoint.length - countAt - 1);
        byte[] trimmed = Arrays.copyOf(frame, touchpoint.length - 1 + hugeCount.length);

        assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                assertThatThrownBy(() -> generic.deserialize("touch", trimmed))
                        .isInstanceOf(SerializationException.class)
                        .hasMessageContaining("schema id " + touchId));
    }

    @Test
    void shouldRefuseRandomGarbageAfterAValidHeader() {
        java.util.Random random = new java.util.Random(42);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 5_000; i++) {
                byte[] frame = new byte[WireFormat.HEADER_SIZE + random.nextInt(200)];
                random.nextBytes(frame);
                System.arraycopy(good, 0, frame, 0, WireFormat.HEADER_SIZE);
                try {
                    specific.deserialize(TOPIC, frame);
                    generic.deserialize(TOPIC, frame);
                } catch (SerializationException e) {
                    assertThat(e).hasMessageContaining(TOPIC).hasMessageContaining("schema id " + id);
                }
            }
        });
    }

    @Test
    void shouldPassNullThrough() {
        assertThat(specific.deserialize(TOPIC, null)).isNull();
        assertThat(serializer.serialize(TOPIC, null)).isNull();
    }

    private org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertRefused(byte[] frame) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertThatThrownBy(() -> specific.deserialize(TOPIC, frame))
                    .isInstanceOf(SerializationException.class).hasMessageContaining(TOPIC);
            assertThatThrownBy(() -> generic.deserialize(TOPIC, frame))
                    .isInstanceOf(SerializationException.class).hasMessageContaining(TOPIC);
        });
        return assertThatThrownBy(() -> specific.deserialize(TOPIC, frame));
    }

    interface BodyWriter {
        void write(BinaryEncoder encoder) throws Exception;
    }

    /**
     * A SurveyResponse frame whose body starts with whatever {@code body} writes where the length of eventId, the
     * first field, belongs, followed by a slice of a real body.
     */
    private byte[] surveyBodyWith(BodyWriter body) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(good, 0, WireFormat.HEADER_SIZE);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        body.write(encoder);
        encoder.flush();
        out.write(good, WireFormat.HEADER_SIZE, Math.min(40, good.length - WireFormat.HEADER_SIZE));
        return out.toByteArray();
    }

    /** Where the frictionSignals block starts: count 2 (0x04), ERROR (0x00), RETRY (0x08), end (0x00). */
    private static int indexOfCount(byte[] frame) {
        for (int i = frame.length - 1; i > WireFormat.HEADER_SIZE + 3; i--) {
            if (frame[i - 3] == 0x04 && frame[i - 2] == 0x00 && frame[i - 1] == 0x08 && frame[i] == 0x00) {
                return i - 3;
            }
        }
        throw new IllegalStateException("no friction signal block in frame " + Arrays.toString(frame));
    }

    private static byte[] zigZag(long value) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        encoder.writeLong(value);
        encoder.flush();
        return out.toByteArray();
    }
}
