package io.cxpulse.streams.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A serde for state written with {@link DataOutputStream} (internal to metrics-streams: its changelogs, so not in
 * the registry). Bytes that do not read back whole fail as a {@link SerializationException} naming what was
 * expected.
 *
 * @param <T> the state
 */
public class DataSerde<T> implements Serde<T> {
    /** Writes a value. */
    public interface Writer<T> {
        void write(T value, DataOutputStream out) throws IOException;
    }

    /** Reads what the writer wrote. */
    public interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private final String what;
    private final Writer<T> writer;
    private final Reader<T> reader;

    /**
     * @param what   what the bytes are, for errors ("a ticket state")
     * @param writer how to write one
     * @param reader how to read one back
     */
    public DataSerde(String what, Writer<T> writer, Reader<T> reader) {
        this.what = what;
        this.writer = writer;
        this.reader = reader;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                writer.write(value, out);
            } catch (IOException e) {
                throw new SerializationException("could not write " + what + " for " + topic, e);
            }
            return bytes.toByteArray();
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                T value = reader.read(in);
                if (in.read() != -1) {
                    throw new IOException("bytes left over after " + what);
                }
                return value;
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("not " + what + " (" + bytes.length + " bytes) in " + topic, e);
            }
        };
    }
}
