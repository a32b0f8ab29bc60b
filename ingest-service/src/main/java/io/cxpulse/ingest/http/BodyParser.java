package io.cxpulse.ingest.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads a request body of events, bounded in bytes before it is read whole, and splits it into events: one JSON
 * object, a JSON array, or NDJSON (one JSON value a line). A line of NDJSON that does not parse becomes a
 * per-event error; a body with nothing that parses is malformed as a whole.
 */
public final class BodyParser {
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
                    .build())
            // duplicate keys are refused by the tree builder, which sees them anyway, instead of by the parser,
            // which would keep a set of names per object (5 % of the service's CPU under load)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** The body's format, from its Content-Type. */
    public enum Format { JSON, NDJSON }

    /** One event as sent: its JSON, or why it could not be parsed. */
    public record RawEvent(JsonNode json, String parseError) {
    }

    /** Thrown for a body refused as a whole. */
    public static final class BodyException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Problem problem;

        BodyException(Problem problem) {
            super(problem.detail(), null, false, false);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
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

    /** Reads at most {@code maxBytes}; more is refused without reading the rest. */
    public static byte[] read(InputStream in, long declaredLength, int maxBytes) throws BodyException, IOException {
        if (declaredLength > maxBytes) {
            throw new BodyException(Problem.tooLarge("The body is " + declaredLength + " bytes; at most " + maxBytes
                    + " are accepted"));
        }
        byte[] body = in.readNBytes(maxBytes + 1);
        if (body.length > maxBytes) {
            throw new BodyException(Problem.tooLarge("The body is over " + maxBytes + " bytes"));
        }
        return body;
    }

    /** Splits {@code body} into events, refusing more than {@code maxEvents}. */
    public static List<RawEvent> events(byte[] body, Format format, int maxEvents) throws BodyException {
        List<RawEvent> events = format == Format.JSON ? json(body) : ndjson(body, maxEvents);
        if (events.isEmpty()) {
            throw new BodyException(Problem.malformed("The body holds no events"));
        }
        if (events.size() > maxEvents) {
            throw new BodyException(Problem.tooLarge("The body holds " + events.size() + " events; at most "
                    + maxEvents + " are accepted per request"));
        }
        return events;
    }

    private static List<RawEvent> json(byte[] body) throws BodyException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new BodyException(Problem.malformed("The body is not JSON: " + message(e)));
        }
        if (root == null || root.isMissingNode()) {
            throw new BodyException(Problem.malformed("The body is empty"));
        }
        if (root.isObject()) {
            return List.of(new RawEvent(root, null));
        }
        if (!root.isArray()) {
            throw new BodyException(Problem.malformed("The body must be a JSON object or an array of objects"));
        }
        List<RawEvent> events = new ArrayList<>(root.size());
        root.forEach(element -> events.add(new RawEvent(element, null)));
        return events;
    }

    private static List<RawEvent> ndjson(byte[] body, int maxEvents) throws BodyException {
        String text = new String(body, StandardCharsets.UTF_8);
        List<RawEvent> events = new ArrayList<>();
        int parsed = 0;
        for (String line : text.split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (events.size() > maxEvents) {
                break;
            }
            try {
                events.add(new RawEvent(JSON.readTree(line), null));
                parsed++;
            } catch (IOException e) {
                events.add(new RawEvent(null, "line is not JSON: " + message(e)));
            }
        }
        if (!events.isEmpty() && parsed == 0) {
            throw new BodyException(Problem.malformed("The body is neither JSON nor NDJSON: no line parses"));
        }
        return events;
    }

    private static String message(IOException e) {
        String message = e instanceof JsonParseException parse ? parse.getOriginalMessage() : e.getMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        return message.length() > 200 ? message.substring(0, 200) + "..." : message;
    }
}
