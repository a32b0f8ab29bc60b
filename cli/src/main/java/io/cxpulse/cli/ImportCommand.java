package io.cxpulse.cli;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import io.cxpulse.schemas.contract.CxTopic;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Sends a file of past events through the ingest HTTP API in batches: a CSV export with a header row (other tools'
 * column names mapped with {@code --map}) or NDJSON. Safe to run again: an event without an eventId gets one
 * derived from its {@code --id-column} or, without one, from its content, so a second run counts nothing twice
 * (metrics-streams drops an eventId it already counted). Ends with a summary, and writes the line number and reason
 * of each rejected row to a file.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import past events from a CSV file (with a header row) or an NDJSON file through the ingest "
                + "API, in batches. Safe to run again: nothing counts twice.")
final class ImportCommand implements Callable<Integer> {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LIST_SEPARATOR = Pattern.compile("\\s*[;|,]\\s*");
    private static final int MAX_ATTEMPTS = 6;
    private static final String ATTRIBUTES = "attributes.";

    /** Fields ingest stamps itself, which a file cannot set. */
    private static final Set<String> STAMPED = Set.of("receivedAt", "source");

    /** What the file holds, and the topic (and so the API path) of its events. */
    enum Kind {
        surveys(CxTopic.SURVEY_RESPONSES), tickets(CxTopic.TICKET_EVENTS), touchpoints(CxTopic.TOUCHPOINTS);

        final CxTopic topic;

        Kind(CxTopic topic) {
            this.topic = topic;
        }
    }

    /** How a field is written in the API's JSON, from its type in the event's Avro schema. */
    enum FieldKind { TEXT, NUMBER, INSTANT, ENUM, LIST, ATTRIBUTES }

    /** The fields an event of {@code kind} may send, by name, in the schema's order. */
    static Map<String, FieldKind> fieldsOf(Kind kind) {
        Map<String, FieldKind> fields = new LinkedHashMap<>();
        for (Schema.Field field : SpecificData.get().getSchema(kind.topic.valueType()).getFields()) {
            if (STAMPED.contains(field.name())) {
                continue;
            }
            Schema schema = field.schema();
            if (schema.getType() == Schema.Type.UNION) {
                schema = schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst()
                        .orElse(schema);
            }
            fields.put(field.name(), switch (schema.getType()) {
                case INT, LONG -> schema.getLogicalType() instanceof LogicalTypes.TimestampMillis
                        ? FieldKind.INSTANT : FieldKind.NUMBER;
                case ENUM -> FieldKind.ENUM;
                case ARRAY -> FieldKind.LIST;
                case MAP -> FieldKind.ATTRIBUTES;
                default -> FieldKind.TEXT;
            });
        }
        return fields;
    }

    /** How the file is written. */
    enum Format { csv, ndjson }

    @Parameters(index = "0", description = "What the file holds: ${COMPLETION-CANDIDATES}.")
    Kind kind;

    @Parameters(index = "1", description = "The file: CSV with a header row, or NDJSON (.ndjson, .jsonl).")
    Path file;

    @Option(names = "--map", description = "field=Column: read a field from a column of another name, e.g. "
            + "--map score='How likely are you to recommend us?'; attributes.NAME=Column keeps a column as an "
            + "attribute. Repeatable.")
    Map<String, String> map = new LinkedHashMap<>();

    @Option(names = "--value", description = "field=VALUE: the value of a field the file lacks, for every row, "
            + "e.g. --value metric=NPS. Repeatable.")
    Map<String, String> values = new LinkedHashMap<>();

    @Option(names = "--id-column", description = "A column that identifies each row (a response id, say): the "
            + "eventIds of rows without one are derived from it. Default: from the row's content.")
    String idColumn;

    @Option(names = "--format", description = "csv or ndjson (default: from the file name).")
    Format format;

    @Option(names = "--zone", description = "The time zone of timestamps written without an offset, such as "
            + "2026-11-20 10:15:00 (default: such timestamps are refused).")
    ZoneId zone;

    @Option(names = "--batch", defaultValue = "500", description = "Events per request, 1 to 1000 "
            + "(default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--rejected", description = "Where to write the line and reason of each rejected row "
            + "(default: the file's name with .rejected.csv).")
    Path rejectedFile;

    @Mixin
    IngestTarget target;

    private Map<String, FieldKind> fields;
    private long rows;
    private long accepted;
    private long rejected;
    private long failed;
    private long lastProgress;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (batch < 1 || batch > 1_000) {
            System.err.println("--batch must be from 1 to 1000, not " + batch);
            return 2;
        }
        if (!Files.isReadable(file)) {
            System.err.println("Cannot read " + file);
            return 2;
        }
        fields = fieldsOf(kind);
        for (String field : map.keySet()) {
            if (!fields.containsKey(field) && !(field.startsWith(ATTRIBUTES) && field.length() > ATTRIBUTES.length())) {
                System.err.println("--map: " + kind + " have no field '" + field + "'; they have "
                        + String.join(", ", fields.keySet()) + ", and attributes.NAME");
                return 2;
            }
        }
        for (String field : values.keySet()) {
            if (!fields.containsKey(field)) {
                System.err.println("--value: " + kind + " have no field '" + field + "'; they have "
                        + String.join(", ", fields.keySet()));
                return 2;
            }
        }
        if (!target.ready()) {
            return 1;
        }
        // the same file and options give the same eventIds, so the rows of a run that stopped can be sent again
        Path rejects = rejectedFile != null ? rejectedFile
                : file.resolveSibling(file.getFileName() + ".rejected.csv");
        long size = Math.max(Files.size(file), 1);
        try (CountingInput in = new CountingInput(Files.newInputStream(file));
                Writer rejectLog = Files.newBufferedWriter(rejects, StandardCharsets.UTF_8)) {
            rejectLog.write("line,field,reason\n");
            Sender sender = new Sender(rejectLog);
            Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
            try {
                if (formatOf(file) == Format.csv) {
                    readCsv(reader, sender, in, size);
                } else {
                    readNdjson(new BufferedReader(reader), sender, in, size);
                }
                sender.flush();
            } catch (Stop e) {
                progress(in.count(), size, true);
                System.err.println("Stopped: ingest refused the request as a whole (above); the rows from line "
                        + sender.firstLine() + " on were not stored.");
                return 1;
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return 2;
            } catch (JsonProcessingException e) {
                sender.flush(); // the rows before the error are sent, and counted in the summary
                progress(in.count(), size, true);
                System.err.println(file + " is not valid " + formatOf(file) + " at line "
                        + e.getLocation().getLineNr() + ": " + e.getOriginalMessage() + "; the rows before it were "
                        + "sent, the rest were not.");
                System.out.printf(Locale.ROOT, "Read %,d rows from %s: %,d accepted, %,d rejected, %,d not stored.%n",
                        rows, file, accepted, rejected, failed);
                return 2;
            }
            progress(in.count(), size, true);
        }
        System.out.printf(Locale.ROOT, "Read %,d rows from %s: %,d accepted, %,d rejected, %,d not stored.%n", rows,
                file, accepted, rejected, failed);
        if (rejected > 0) {
            System.out.println("The rejected rows, with their line and reason: " + rejects);
        }
        return failed > 0 ? 1 : rejected > 0 ? 3 : 0;
    }

    private Format formatOf(Path path) {
        if (format != null) {
            return format;
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".ndjson") || name.endsWith(".jsonl") ? Format.ndjson : Format.csv;
    }

    private void readCsv(Reader reader, Sender sender, CountingInput in, long size) throws IOException,
            InterruptedException {
        CsvMapper csv = new CsvMapper();
        try (MappingIterator<Map<String, String>> iterator = csv.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader())
                .with(CsvParser.Feature.IGNORE_TRAILING_UNMAPPABLE).readValues(reader)) {
            JsonParser parser = iterator.getParser();
            Set<String> ignored = null;
            while (iterator.hasNextValue()) {
                // the row's first token is located at the end of the line before it (a quoted cell may span lines)
                long line = parser.currentTokenLocation().getLineNr() + 1;
                Map<String, String> row = iterator.nextValue();
                if (ignored == null) {
                    ignored = ignoredColumns(row.keySet());
                    if (!ignored.isEmpty()) {
                        System.err.println("Ignoring columns that are no " + kind + " field (map them with --map): "
                                + String.join(", ", ignored));
                    }
                    if (idColumn != null && !row.containsKey(idColumn)) {
                        throw new IllegalArgumentException("--id-column: the file has no column '" + idColumn + "'");
                    }
                }
                rows++;
                sender.add(line, event(row), idColumn == null ? null : row.get(idColumn));
                progress(in.count(), size, false);
            }
        }
    }

    private void readNdjson(BufferedReader reader, Sender sender, CountingInput in, long size) throws IOException,
            InterruptedException {
        long line = 0;
        for (String text = reader.readLine(); text != null; text = reader.readLine()) {
            line++;
            if (text.isBlank()) {
                continue;
            }
            rows++;
            JsonNode node;
            try {
                node = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                sender.reject(line, "", "not JSON: " + e.getOriginalMessage());
                continue;
            }
            if (!(node instanceof ObjectNode object)) {
                sender.reject(line, "", "not a JSON object");
                continue;
            }
            String id = idColumn == null ? null : object.path(idColumn).asText(null);
            sender.add(line, renamed(object), id);
            progress(in.count(), size, false);
        }
    }

    /** The header's columns that neither name a field nor are mapped, nor are the id column. */
    private Set<String> ignoredColumns(Set<String> columns) {
        Set<String> ignored = new LinkedHashSet<>(columns);
        ignored.removeAll(map.values());
        ignored.removeIf(column -> fields.containsKey(column) && !map.containsKey(column)
                && fields.get(column) != FieldKind.ATTRIBUTES);
        ignored.remove(idColumn);
        return ignored;
    }

    /** The event a CSV row describes: each field from its column, converted to the field's JSON type. */
    private ObjectNode event(Map<String, String> row) {
        ObjectNode event = JSON.createObjectNode();
        fields.forEach((field, fieldKind) -> {
            String value = row.get(map.getOrDefault(field, field));
            if (fieldKind != FieldKind.ATTRIBUTES && value != null && !value.isBlank()) {
                event.set(field, convert(fieldKind, value.trim()));
            }
        });
        ObjectNode attributes = JSON.createObjectNode();
        map.forEach((name, column) -> {
            String value = row.get(column);
            if (name.startsWith(ATTRIBUTES) && value != null && !value.isBlank()) {
                attributes.put(name.substring(ATTRIBUTES.length()), value.trim());
            }
        });
        if (!attributes.isEmpty()) {
            event.set("attributes", attributes);
        }
        withValues(event);
        return event;
    }

    /** An NDJSON event with its mapped keys renamed to the fields they hold, and timestamps given an offset. */
    private ObjectNode renamed(ObjectNode object) {
        ObjectNode event = object.deepCopy();
        map.forEach((name, key) -> {
            JsonNode value = event.remove(key);
            if (value != null && !name.startsWith(ATTRIBUTES)) {
                event.set(name, value);
            } else if (value != null) {
                JsonNode attributes = event.path("attributes");
                ObjectNode into = attributes instanceof ObjectNode existing ? existing : event.putObject("attributes");
                into.set(name.substring(ATTRIBUTES.length()), value);
            }
        });
        fields.forEach((field, fieldKind) -> {
            JsonNode value = event.get(field);
            if (fieldKind == FieldKind.INSTANT && value != null && value.isTextual()) {
                event.put(field, instant(value.asText()));
            }
        });
        withValues(event);
        return event;
    }

    /** Sets the {@code --value} fields that the row left empty. */
    private void withValues(ObjectNode event) {
        values.forEach((field, value) -> {
            if (!event.hasNonNull(field)) {
                event.set(field, convert(fields.get(field), value));
            }
        });
    }

    private JsonNode convert(FieldKind fieldKind, String value) {
        switch (fieldKind) {
            case NUMBER -> {
                try {
                    return JSON.getNodeFactory().numberNode(Long.parseLong(value));
                } catch (NumberFormatException e) {
                    return JSON.getNodeFactory().textNode(value); // ingest names the field and why
                }
            }
            case LIST -> {
                ArrayNode signals = JSON.createArrayNode();
                for (String signal : LIST_SEPARATOR.split(value)) {
                    if (!signal.isEmpty()) {
                        signals.add(signal.toUpperCase(Locale.ROOT));
                    }
                }
                return signals;
            }
            case ENUM -> {
                return JSON.getNodeFactory().textNode(value.toUpperCase(Locale.ROOT).replace(' ', '_'));
            }
            case INSTANT -> {
                return JSON.getNodeFactory().textNode(instant(value));
            }
            default -> {
                return JSON.getNodeFactory().textNode(value);
            }
        }
    }

    /** A timestamp with an offset as it is; one without, such as 2026-11-20 10:15:00, in --zone when given. */
    private String instant(String value) {
        if (zone == null) {
            return value;
        }
        try {
            return LocalDateTime.parse(value.replace(' ', 'T')).atZone(zone).toInstant().toString();
        } catch (DateTimeParseException e) {
            return value; // it has an offset, or it is malformed and ingest says so
        }
    }

    private void progress(long done, long size, boolean last) {
        long now = System.nanoTime();
        if (!last && now - lastProgress < 200_000_000L) {
            return;
        }
        lastProgress = now;
        int percent = (int) Math.min(100, done * 100 / size);
        int filled = percent / 4;
        PrintStream err = System.err;
        err.printf(Locale.ROOT, "\r%3d%% [%s%s] %,d rows  %,d accepted  %,d rejected  %,d not stored", percent,
                "#".repeat(filled), " ".repeat(25 - filled), rows, accepted, rejected, failed);
        if (last) {
            err.println();
        }
        err.flush();
    }

    /** Sends rows in batches and keeps the tally, writing each rejected row's line and reasons. */
    private final class Sender {
        private final Writer rejectLog;
        private final List<Long> lines = new ArrayList<>();
        private final StringBuilder body = new StringBuilder();

        Sender(Writer rejectLog) {
            this.rejectLog = rejectLog;
        }

        void add(long line, ObjectNode event, String id) throws IOException, InterruptedException {
            if (!event.hasNonNull("eventId")) {
                String name = id != null && !id.isBlank() ? kind + "|id|" + id : kind + "|row|" + event;
                event.put("eventId", UUID.nameUUIDFromBytes(("cxpulse-import|" + name)
                        .getBytes(StandardCharsets.UTF_8)).toString());
            }
            lines.add(line);
            body.append(JSON.writeValueAsString(event)).append('\n');
            if (lines.size() >= batch) {
                flush();
            }
        }

        /** The line of the first row of the batch being sent. */
        long firstLine() {
            return lines.isEmpty() ? 0 : lines.get(0);
        }

        void reject(long line, String field, String reason) throws IOException {
            rejected++;
            rejectLog.write(line + "," + csv(field) + "," + csv(reason) + "\n");
        }

        void flush() throws IOException, InterruptedException {
            if (lines.isEmpty()) {
                return;
            }
            HttpResponse<String> response = post(body.toString());
            if (response != null && (response.statusCode() / 100 == 2 || response.statusCode() == 422)) {
                JsonNode results = JSON.readTree(response.body()).path("results");
                for (Iterator<JsonNode> it = results.elements(); it.hasNext(); ) {
                    JsonNode result = it.next();
                    long line = lines.get(result.path("index").asInt());
                    if (result.path("status").asText().equals("accepted")) {
                        accepted++;
                        continue;
                    }
                    rejected++;
                    for (JsonNode error : result.path("errors")) {
                        rejectLog.write(line + "," + csv(error.path("field").asText()) + ","
                                + csv(error.path("message").asText()) + "\n");
                    }
                }
            } else {
                failed += lines.size();
                if (response != null) {
                    System.err.println("\nHTTP " + response.statusCode() + " from " + kind.topic.id() + ": "
                            + response.body());
                    if (response.statusCode() != 429 && response.statusCode() != 503) {
                        throw new Stop();
                    }
                }
            }
            lines.clear();
            body.setLength(0);
        }

        /** POSTs one batch, retrying on 429, 503 and failed connections; null when every attempt failed. */
        private HttpResponse<String> post(String ndjson) throws InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(URI.create(target.url + "/v1/" + kind.topic.id()))
                    .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + target.token)
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString(ndjson)).build();
            long wait = 500;
            for (int attempt = 1; ; attempt++) {
                HttpResponse<String> response = null;
                try {
                    response = Http.CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 429 && response.statusCode() != 503) {
                        return response;
                    }
                    wait = response.headers().firstValue("Retry-After").filter(s -> s.matches("\\d{1,5}"))
                            .map(s -> Long.parseLong(s) * 1_000).orElse(wait);
                } catch (IOException e) {
                    System.err.println("\nRequest failed (" + e + "), attempt " + attempt + " of " + MAX_ATTEMPTS);
                }
                if (attempt == MAX_ATTEMPTS) {
                    return response;
                }
                Thread.sleep(wait);
                wait = Math.min(wait * 2, 30_000);
            }
        }
    }

    /** A request the service refused as a whole (a bad token, a body too large): sending more would not help. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stop() {
            super(null, null, false, false);
        }
    }

    /** A value as a CSV field: quoted when it holds a comma, a quote or a line break. */
    static String csv(String value) {
        return value.contains(",") || value.contains("\"") || value.contains("\n")
                ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    /** Counts the bytes read, for the progress bar. */
    private static final class CountingInput extends FilterInputStream {
        private long count;

        CountingInput(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count += Math.max(n, 0);
            return n;
        }
    }
}
