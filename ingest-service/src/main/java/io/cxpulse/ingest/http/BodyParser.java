package io.cxpulse.ingest.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.cxpulse.common.problem.ProblemException;

/**
 * Reads a request body of events, bounded in bytes before it is read whole, and streams it event by event to an
 * {@link EventReader}: one JSON object, a JSON array, or NDJSON (one JSON value a line). No tree of the whole body
 * is built. A JSON body that does not parse is malformed as a whole; a line of NDJSON that does not parse becomes
 * a per-event error, and a body with no line that parses is malformed as a whole.
 */
public final class BodyParser {
    /**
     * The mapper behind every parser handed out: nesting at most 64 deep, duplicate keys refused in nested objects
     * (event readers refuse them at the top level), floats read exactly, no NaN. Trees are read from the middle of
     * a stream, so what follows a value is checked here, not by the mapper.
     */
    public static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** The body's format, from its Content-Type. */
    public enum Format { JSON, NDJSON }

    /**
     * Reads one event.
     *
     * @param <R> what an event becomes
     */
    @FunctionalInterface
    public interface EventReader<R> {
        /**
         * Reads the event whose first token is {@code parser}'s current token, consuming exactly that value; a
         * {@link com.fasterxml.jackson.core.JsonProcessingException} means the event is not JSON.
         */
        R read(JsonParser parser) throws IOException;
    }

    private BodyParser() {
    }

    /** The format named by a Content-Type header; empty for anything else. */
    public static Optional<Format> format(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return switch (mediaType) {
            case "application/json" -> Optional.of(Format.JSON);
            case "application/x-ndjson", "application/ndjson", "application/jsonl" -> Optional.of(Format.NDJSON);
            default -> Optional.empty();
        };
    }

    /**
     * Reads at most {@code maxBytes}; more is refused without reading the rest. A body of declared length
     * ({@code declaredLength >= 0}) is read into one array of that size.
     */
    public static byte[] read(InputStream in, long declaredLength, int maxBytes) throws IOException {
        if (declaredLength > maxBytes) {
            throw new ProblemException(Problems.tooLarge("The body is " + declaredLength + " bytes; at most "
                    + maxBytes + " are accepted"));
        }
        if (declaredLength >= 0) {
            byte[] body = new byte[(int) declaredLength];
            int read = in.readNBytes(body, 0, body.length);
            if (read < body.length) {
                throw new IOException("the body ended after " + read + " of its declared " + declaredLength
                        + " bytes");
            }
            if (in.read() != -1) {
                throw new IOException("the body is longer than its declared " + declaredLength + " bytes");
            }
            return body;
        }
        byte[] body = in.readNBytes(maxBytes + 1);
        if (body.length > maxBytes) {
            throw new ProblemException(Problems.tooLarge("The body is over " + maxBytes + " bytes"));
        }
        return body;
    }

    /**
     * Reads every event of {@code body} in order, refusing more than {@code maxEvents}, and hands each on as it is
     * read; only the count is kept, so that what a request no longer needs of an event can go as soon as it is
     * handed on.
     *
     * @param reader     turns one event into a result
     * @param unparsable the result for an NDJSON line that is not JSON, from a message saying why
     * @param settled    handed each result, in order, as soon as it is final (while its event is fresh in the
     *                   CPU's caches); a refusal of the whole body may still follow
     * @return the number of events
     */
    public static <R> int events(byte[] body, Format format, int maxEvents, EventReader<R> reader,
            Function<String, R> unparsable, Consumer<? super R> settled) {
        int events = format == Format.JSON ? json(body, maxEvents, reader, settled)
                : ndjson(body, maxEvents, reader, unparsable, settled);
        if (events == 0) {
            throw new ProblemException(Problems.malformed("The body holds no events"));
        }
        return events;
    }

    private static <R> int json(byte[] body, int maxEvents, EventReader<R> reader, Consumer<? super R> settled)
            {
        try (JsonParser parser = JSON.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new ProblemException(Problems.malformed("The body is empty"));
            }
            int events = 0;
            if (first == JsonToken.START_OBJECT) {
                settled.accept(reader.read(parser));
                events++;
            } else if (first == JsonToken.START_ARRAY) {
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    if (events == maxEvents) {
                        throw tooManyEvents(maxEvents);
                    }
                    settled.accept(reader.read(parser));
                    events++;
                }
            } else {
                throw new ProblemException(
                        Problems.malformed("The body must be a JSON object or an array of objects"));
            }
            if (parser.nextToken() != null) {
                throw new ProblemException(Problems.malformed("The body is not JSON: there is more after its first "
                        + "value"));
            }
            return events;
        } catch (IOException e) {
            throw new ProblemException(Problems.malformed("The body is not JSON: " + message(e)));
        }
    }

    private static <R> int ndjson(byte[] body, int maxEvents, EventReader<R> reader,
            Function<String, R> unparsable, Consumer<? super R> settled) {
        int events = 0;
        int parsed = 0;
        for (int start = 0; start < body.length; ) {
            int end = start;
            while (end < body.length && body[end] != '\n') {
                end++;
            }
            int lineEnd = end > start && body[end - 1] == '\r' ? end - 1 : end;
            if (!blank(body, start, lineEnd)) {
                if (events == maxEvents) {
                    throw tooManyEvents(maxEvents);
                }
                R event;
                try (JsonParser parser = JSON.createParser(body, start, lineEnd - start)) {
                    if (parser.nextToken() == null) {
                        throw new JsonParseException(parser, "the line holds no JSON value");
                    }
                    event = reader.read(parser);
                    if (parser.nextToken() != null) {
                        throw new JsonParseException(parser, "there is more on the line after its first value");
                    }
                    parsed++;
                } catch (IOException e) {
                    event = unparsable.apply("line is not JSON: " + message(e));
                }
                settled.accept(event);
                events++;
            }
            start = end + 1;
        }
        if (events > 0 && parsed == 0) {
            throw new ProblemException(Problems.malformed("The body is neither JSON nor NDJSON: no line parses"));
        }
        return events;
    }

    private static boolean blank(byte[] body, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = body[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static ProblemException tooManyEvents(int maxEvents) {
        return new ProblemException(Problems.tooLarge("The body holds more than " + maxEvents + " events; at most "
                + maxEvents + " are accepted per request"));
    }

    private static String message(IOException e) {
        String message = e instanceof JsonProcessingException parse ? parse.getOriginalMessage() : e.getMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        return message.length() > 200 ? message.substring(0, 200) + "..." : message;
    }
}
