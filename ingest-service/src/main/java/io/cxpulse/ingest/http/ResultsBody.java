package io.cxpulse.ingest.http;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.cxpulse.ingest.validation.EventValidator.Accepted;
import io.cxpulse.ingest.validation.EventValidator.Rejected;
import io.cxpulse.ingest.validation.EventValidator.Result;
import io.cxpulse.ingest.validation.FieldError;

/**
 * The body of an ingest answer, {@code {accepted, rejected, results:[{index, eventId, status, errors}]}}, as
 * UTF-8 JSON. An accepted event's entry, the common case, is copied from fixed bytes around its index and its
 * id (a UUID, which needs no escaping); a rejected one's is written by Jackson, which escapes whatever the
 * caller sent.
 */
public final class ResultsBody {
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] ACCEPTED_INDEX = ascii("{\"index\":");
    private static final byte[] ACCEPTED_ID = ascii(",\"eventId\":\"");
    private static final byte[] ACCEPTED_END = ascii("\",\"status\":\"accepted\",\"errors\":[]}");
    /** The longest accepted entry: the fixed parts, a ten-digit index, a UUID and a comma. */
    private static final int ACCEPTED_SIZE = ACCEPTED_INDEX.length + 10 + ACCEPTED_ID.length + 36
            + ACCEPTED_END.length + 1;

    /** The longest head, {@code {"accepted":N,"rejected":M,"results":[}, with ten-digit counts. */
    private static final int HEAD_ROOM = ascii("{\"accepted\":,\"rejected\":,\"results\":[").length + 20;

    /** The entries so far, after room left for the head, which is written last (when the counts are known). */
    private final Out out;
    private int entries;

    /** An empty body, with room for about {@code expectedEntries} accepted entries before it grows. */
    public ResultsBody(int expectedEntries) {
        out = new Out(HEAD_ROOM + ACCEPTED_SIZE * Math.max(expectedEntries, 1) + 2);
        out.size = HEAD_ROOM;
    }

    /** The body for {@code results}, of which {@code accepted} were accepted. */
    public static byte[] write(List<? extends Result> results, int accepted) {
        ResultsBody body = new ResultsBody(results.size());
        results.forEach(body::add);
        return body.finish(accepted);
    }

    /** Adds the next result's entry; its index is the number of entries before it. */
    public void add(Result result) {
        if (entries > 0) {
            out.write(',');
        }
        if (result instanceof Accepted accepted) {
            out.writeAccepted(entries, accepted.eventId());
        } else {
            writeWithJackson(out, entries, result);
        }
        entries++;
    }

    /** The whole body, of which {@code accepted} entries were accepted. */
    public byte[] finish(int accepted) {
        byte[] head = ascii("{\"accepted\":" + accepted + ",\"rejected\":" + (entries - accepted)
                + ",\"results\":[");
        out.write(']');
        out.write('}');
        int from = HEAD_ROOM - head.length;
        System.arraycopy(head, 0, out.bytes, from, head.length);
        return Arrays.copyOfRange(out.bytes, from, out.size);
    }

    /**
     * The body being written: accepted entries go straight into its array, rejected ones through Jackson, which
     * writes to it as an output stream.
     */
    private static final class Out extends OutputStream {
        private byte[] bytes;
        private int size;

        Out(int capacity) {
            bytes = new byte[capacity];
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] source) {
            write(source, 0, source.length);
        }

        @Override
        public void write(byte[] source, int offset, int length) {
            ensure(length);
            System.arraycopy(source, offset, bytes, size, length);
            size += length;
        }

        /** An accepted entry; its id is a UUID ({@link Accepted} holds no other), so it needs no escaping. */
        void writeAccepted(int index, String eventId) {
            ensure(ACCEPTED_SIZE);
            write(ACCEPTED_INDEX);
            if (index == 0) {
                bytes[size++] = '0';
            } else {
                int digits = 0;
                for (int rest = index; rest > 0; rest /= 10) {
                    digits++;
                }
                for (int at = size + digits - 1, rest = index; rest > 0; rest /= 10) {
                    bytes[at--] = (byte) ('0' + rest % 10);
                }
                size += digits;
            }
            write(ACCEPTED_ID);
            for (int c = 0; c < eventId.length(); c++) {
                bytes[size++] = (byte) eventId.charAt(c);
            }
            write(ACCEPTED_END);
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
            }
        }
    }

    private static void writeWithJackson(Out out, int index, Result result) {
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("index", index);
            json.writeStringField("eventId", result.eventId());
            if (result instanceof Rejected rejected) {
                json.writeStringField("status", "rejected");
                json.writeArrayFieldStart("errors");
                for (FieldError error : rejected.errors()) {
                    json.writeStartObject();
                    json.writeStringField("field", error.field());
                    json.writeStringField("message", error.message());
                    json.writeEndObject();
                }
                json.writeEndArray();
            } else {
                json.writeStringField("status", "accepted");
                json.writeArrayFieldStart("errors");
                json.writeEndArray();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
