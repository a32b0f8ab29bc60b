package io.cxpulse.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * A decoder over one frame's body that refuses lengths and counts larger than the body before anything is
 * allocated for them. Avro's own decoder sizes a string or bytes buffer from the length on the wire first, so a
 * corrupt length of 2 GB would end in {@code OutOfMemoryError} rather than an error for the record.
 *
 * <p>A string, bytes value or collection block cannot be longer than the body that holds it (collections of
 * nulls, which take no bytes, are refused past that size too).
 */
final class BoundedDecoder extends Decoder {
    private final BinaryDecoder in;
    private final long limit;

    BoundedDecoder(BinaryDecoder in, long limit) {
        this.in = in;
        this.limit = limit;
    }

    /** Whether the body has been read to its end. */
    boolean isEnd() throws IOException {
        return in.isEnd();
    }

    private int length(String what) throws IOException {
        long length = in.readLong();
        if (length < 0 || length > limit) {
            throw new AvroRuntimeException("Malformed data: " + what + " length " + length + " outside 0.." + limit
                    + ", the size of the body");
        }
        return (int) length;
    }

    private long count(long count, String what) {
        if (Math.abs(count) > limit) {
            throw new AvroRuntimeException("Malformed data: " + what + " block of " + count + " items in a body of "
                    + limit + " bytes");
        }
        return count;
    }

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        byte[] bytes = new byte[length("string")];
        in.readFixed(bytes);
        return new Utf8(bytes);
    }

    @Override
    public String readString() throws IOException {
        byte[] bytes = new byte[length("string")];
        in.readFixed(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void skipString() throws IOException {
        in.skipFixed(length("string"));
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        byte[] bytes = new byte[length("bytes")];
        in.readFixed(bytes);
        return ByteBuffer.wrap(bytes);
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipFixed(length("bytes"));
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public long readArrayStart() throws IOException {
        return count(in.readArrayStart(), "array");
    }

    @Override
    public long arrayNext() throws IOException {
        return count(in.arrayNext(), "array");
    }

    @Override
    public long skipArray() throws IOException {
        return in.skipArray();
    }

    @Override
    public long readMapStart() throws IOException {
        return count(in.readMapStart(), "map");
    }

    @Override
    public long mapNext() throws IOException {
        return count(in.mapNext(), "map");
    }

    @Override
    public long skipMap() throws IOException {
        return in.skipMap();
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }
}
