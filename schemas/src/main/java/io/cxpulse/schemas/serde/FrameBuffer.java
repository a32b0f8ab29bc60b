package io.cxpulse.schemas.serde;

import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * A growable byte buffer for one frame, written by one thread. {@link java.io.ByteArrayOutputStream} locks on
 * every call, and Avro's direct encoder writes each varint byte by byte: the locks were the largest single cost
 * of serializing a small record. It can be reset and written again, so that a thread writing many frames grows
 * one buffer instead of allocating one per frame.
 */
public final class FrameBuffer extends OutputStream {
    private byte[] bytes;
    private int size;

    public FrameBuffer(int initialCapacity) {
        bytes = new byte[initialCapacity];
    }

    @Override
    public void write(int b) {
        if (size == bytes.length) {
            grow(size + 1);
        }
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] source, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, source.length);
        if (size + length > bytes.length) {
            grow(size + length);
        }
        System.arraycopy(source, offset, bytes, size, length);
        size += length;
    }

    /** Empties the buffer, keeping its capacity. */
    public void reset() {
        size = 0;
    }

    /** A copy of what was written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void grow(int needed) {
        bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
    }
}
