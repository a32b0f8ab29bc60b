package io.cxpulse.streams.survey;

import java.nio.ByteBuffer;

import io.cxpulse.avro.SurveyMetric;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The state-store form of a {@link ScoreHistogram}: a version byte, the metric's symbol index, then one count a
 * score as a big-endian long. Internal to metrics-streams (its changelogs), so not in the registry.
 */
public final class ScoreHistogramSerde implements Serde<ScoreHistogram> {
    private static final byte VERSION = 1;

    @Override
    public Serializer<ScoreHistogram> serializer() {
        return (topic, histogram) -> {
            if (histogram == null) {
                return null;
            }
            long[] counts = histogram.counts();
            ByteBuffer buffer = ByteBuffer.allocate(2 + 8 * counts.length);
            buffer.put(VERSION).put((byte) histogram.metric().ordinal());
            for (long count : counts) {
                buffer.putLong(count);
            }
            return buffer.array();
        };
    }

    @Override
    public Deserializer<ScoreHistogram> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                if (buffer.get() != VERSION) {
                    throw new SerializationException("unknown score histogram version " + bytes[0]);
                }
                SurveyMetric metric = SurveyMetric.values()[buffer.get()];
                long[] counts = new long[buffer.remaining() / 8];
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = buffer.getLong();
                }
                return ScoreHistogram.of(metric, counts);
            } catch (RuntimeException e) {
                throw new SerializationException("not a score histogram (" + bytes.length + " bytes) in " + topic, e);
            }
        };
    }
}
