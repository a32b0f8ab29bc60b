package io.cxpulse.ingest.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import io.cxpulse.ingest.validation.EventValidator;
import io.cxpulse.ingest.validation.EventValidator.Accepted;
import io.cxpulse.ingest.validation.EventValidator.Rejected;
import io.cxpulse.ingest.validation.EventValidator.Result;
import io.cxpulse.ingest.validation.FieldError;

/**
 * The body of an ingest answer, {@code {accepted, rejected, results:[{index, eventId, status, errors}]}}, as
 * UTF-8 JSON. An accepted event's entry, the common case, is copied from fixed bytes around its index and its
 * id (a canonical UUID, which needs no escaping); a rejected one's is written by Jackson, which escapes whatever
 * the caller sent.
 */
public final class ResultsBody {
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] ACCEPTED_INDEX = ascii("{\"index\":");
    private static final byte[] ACCEPTED_ID = ascii(",\"eventId\":\"");
    private static final byte[] ACCEPTED_END = ascii("\",\"status\":\"accepted\",\"errors\":[]}");
    /** The longest accepted entry: the fixed parts, a ten-digit index, a UUID and a comma. */
    private static final int ACCEPTED_SIZE = ACCEPTED_INDEX.length + 10 + ACCEPTED_ID.length + 36
            + ACCEPTED_END.length + 1;

    private ResultsBody() {
    }

    /** The body for {@code results}, of which {@code accepted} were accepted. */
    public static byte[] write(List<? extends Result> results, int accepted) {
        ByteArrayBuilder out = new ByteArrayBuilder(64 + ACCEPTED_SIZE * results.size());
        out.write(ascii("{\"accepted\":" + accepted + ",\"rejected\":" + (results.size() - accepted)
                + ",\"results\":["));
        for (int i = 0; i < results.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            Result result = results.get(i);
            if (result instanceof Accepted && result.eventId() != null && EventValidator.isUuid(result.eventId())) {
                writeAccepted(out, i, result.eventId());
            } else {
                writeWithJackson(out, i, result);
            }
        }
        out.write(ascii("]}"));
        return out.toByteArray();
    }

    private static void writeAccepted(ByteArrayBuilder out, int index, String eventId) {
        out.write(ACCEPTED_INDEX);
        writeDigits(out, index);
        out.write(ACCEPTED_ID);
        for (int c = 0; c < eventId.length(); c++) {
            out.append(eventId.charAt(c));
        }
        out.write(ACCEPTED_END);
    }

    private static void writeDigits(ByteArrayBuilder out, int value) {
        if (value >= 10) {
            writeDigits(out, value / 10);
        }
        out.append('0' + value % 10);
    }

    private static void writeWithJackson(ByteArrayBuilder out, int index, Result result) {
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
