package io.cxpulse.ingest.validation;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.cxpulse.avro.Channel;
import io.cxpulse.avro.Device;
import io.cxpulse.avro.FrictionSignal;
import io.cxpulse.avro.Interaction;
import io.cxpulse.avro.Outcome;
import io.cxpulse.avro.SurveyMetric;
import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.avro.TicketEvent;
import io.cxpulse.avro.TicketEventType;
import io.cxpulse.avro.TicketPriority;
import io.cxpulse.avro.TouchpointEvent;
import io.cxpulse.common.EventAge;
import io.cxpulse.common.Uuids;
import io.cxpulse.ingest.EventType;
import io.cxpulse.ingest.validation.FieldError.Reason;
import io.cxpulse.schemas.contract.LabelValues;
import io.cxpulse.schemas.contract.ScoreScale;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Checks one JSON event completely against the event contract (every error, not just the first) and, when it
 * holds, gives its values as the fields of its type's Avro record, with the fields ingest stamps: {@code eventId}
 * when absent, {@code receivedAt} and {@code source}.
 *
 * <p>Scalars are checked as they stream past, straight from the parser; only nested objects and arrays (and the
 * values an error has to describe) become trees. Each field's check is picked by a switch on its kind rather than
 * an object behind an interface, which would cost a dispatch and a wrapper per value on every event's path.
 */
public final class EventValidator {
    /** Longest identifier (ids, names, segments, touchpoints). */
    public static final int MAX_IDENTIFIER = 200;
    /** Longest survey comment. */
    public static final int MAX_COMMENT = 4_000;
    /** Most attributes per event, and the longest attribute value. */
    public static final int MAX_ATTRIBUTES = 50;
    public static final int MAX_ATTRIBUTE_VALUE = 1_000;
    /** The longest eventId (a UUID) and the longest occurredAt that are checked further. */
    private static final int MAX_UUID = 36;
    private static final int MAX_INSTANT = 64;

    private static final Map<EventType, Fields> FIELDS = fieldsByType();

    private final Duration maxAge;
    private final Duration maxSkew;

    /**
     * @param maxAge  how far before its receipt an event's occurredAt may be
     * @param maxSkew how far after its receipt an event's occurredAt may be (clocks differ)
     */
    public EventValidator(Duration maxAge, Duration maxSkew) {
        this.maxAge = maxAge;
        this.maxSkew = maxSkew;
    }

    /**
     * A field an event of one type may send, as it is checked: the validator's own field list, which the OpenAPI
     * document is tested against.
     *
     * @param kind      how it is checked: TEXT, UUID, INSTANT, ENUM, INT, DURATION, FRICTION_SIGNALS or ATTRIBUTES
     * @param maxLength the longest text, for TEXT, UUID and INSTANT; else 0
     * @param symbols   the symbols an event may send, for ENUM and FRICTION_SIGNALS; else empty
     */
    public record FieldRule(String name, String kind, boolean required, int maxLength, List<String> symbols) {
    }

    /** The fields an event of {@code type} may send. */
    public static List<FieldRule> fields(EventType type) {
        return FIELDS.get(type).all().stream().map(field -> new FieldRule(field.name(), field.kind().name(),
                field.required(), field.maxLength(), field.symbols() == null ? List.of() : field.symbols().names()))
                .toList();
    }

    /** The outcome for one event: a record to publish, or the reasons it was refused. */
    public sealed interface Result permits Accepted, Rejected {
        /** The event id: the one sent, the one ingest generated, or null when the one sent was unusable. */
        String eventId();
    }

    /**
     * An event that holds to the contract: its id (a UUID), its Kafka key (customerId, or ticketId for ticket
     * events), and the values of its type's Avro record by field position, each of the generated class's Java type
     * (null for an optional field the event left out).
     */
    public static final class Accepted implements Result {
        private final EventType type;
        private final String eventId;
        private final String key;
        private final Object[] values;

        /** For the validator, whose ids are UUIDs by construction. */
        Accepted(EventType type, String eventId, String key, Object[] values) {
            this.type = type;
            this.eventId = eventId;
            this.key = key;
            this.values = values;
        }

        public EventType type() {
            return type;
        }

        @Override
        public String eventId() {
            return eventId;
        }

        public String key() {
            return key;
        }

        /** The value of the record's field at {@code position}, or null. */
        public Object value(int position) {
            return values[position];
        }
    }

    /** An event that breaks the contract, with every reason. */
    public record Rejected(String eventId, List<FieldError> errors) implements Result {
        public Rejected {
            errors = List.copyOf(errors);
        }
    }

    /**
     * Checks the event at {@code parser}'s current token, sent by {@code source} to the {@code type} endpoint and
     * received at {@code receivedAt} (which also bounds its {@code occurredAt}), reading exactly that value.
     *
     * @throws JsonProcessingException when the event is not JSON, or names a field twice
     */
    public Result validate(EventType type, JsonParser parser, String source, Instant receivedAt) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            return notAnObject(value(parser));
        }
        Fields fields = FIELDS.get(type);
        Check check = new Check(fields, receivedAt);
        long seen = 0;
        Set<String> others = null;
        Field previous = null;
        while (true) {
            Field expected = fields.after(previous);
            Field field;
            String name;
            if (expected != null && parser.nextFieldName(expected.serialized())) {
                field = expected;
                name = field.name();
            } else {
                if (expected == null) {
                    parser.nextToken();
                }
                if (parser.currentToken() != JsonToken.FIELD_NAME) {
                    break;
                }
                name = parser.currentName();
                field = fields.byName().get(name);
                fields.learn(previous, field);
            }
            JsonToken token = parser.nextToken();
            if (field != null) {
                previous = field;
                if ((seen & field.bit()) != 0) {
                    throw duplicate(parser, name);
                }
                seen |= field.bit();
                check(check, field, token, parser);
                continue;
            }
            if (others == null) {
                others = new HashSet<>();
            }
            if (!others.add(name)) {
                throw duplicate(parser, name);
            }
            parser.skipChildren();
            if (name.equals("receivedAt") || name.equals("source")) {
                check.error(name, "is set by ingest and must not be sent", Reason.SERVER_FIELD);
            } else {
                check.error(name, "is not a field of " + type.path() + " events", Reason.UNKNOWN_FIELD);
            }
        }
        for (Field field : fields.all()) {
            if (field.required() && (seen & field.bit()) == 0) {
                check.error(field.name(), "is required", Reason.MISSING_FIELD);
            }
        }
        if (type == EventType.SURVEY_RESPONSE) {
            checkScoreRange(check);
        }
        Object[] values = check.values;
        String sentId = (String) values[fields.eventId()];
        if (check.errors != null) {
            return new Rejected(sentId, check.errors);
        }
        String eventId = sentId != null ? Uuids.normalize(sentId) : UUID.randomUUID().toString();
        values[fields.eventId()] = eventId;
        values[fields.receivedAt()] = receivedAt;
        values[fields.source()] = source;
        if (fields.emptyList() >= 0 && values[fields.emptyList()] == null) {
            values[fields.emptyList()] = List.of();
        }
        return new Accepted(type, eventId, (String) values[fields.key()], values);
    }

    private static Rejected notAnObject(JsonNode value) {
        return new Rejected(null, List.of(new FieldError("", "each event must be a JSON object, not "
                + describe(value), Reason.NOT_AN_OBJECT)));
    }

    private static JsonParseException duplicate(JsonParser parser, String name) {
        return new JsonParseException(parser, "Duplicate field '" + name + "'");
    }

    /** Checks the value of {@code field} at {@code token} and keeps it converted, or records why not. */
    private void check(Check check, Field field, JsonToken token, JsonParser parser) throws IOException {
        String name = field.name();
        if (token == JsonToken.VALUE_NULL) {
            if (field.required()) {
                check.error(name, "is required", Reason.MISSING_FIELD);
            }
            return;
        }
        Object value = switch (field.kind()) {
            case TEXT, LABEL, UUID, INSTANT -> token == JsonToken.VALUE_STRING ? text(check, field, parser.getText())
                    : check.error(name, "must be a string, not " + describe(value(parser)), Reason.WRONG_TYPE);
            case ENUM -> token == JsonToken.VALUE_STRING ? symbol(check, name, parser.getText(), field.symbols())
                    : badSymbol(check, name, value(parser), field.symbols());
            case INT -> token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT
                    ? Integer.valueOf(parser.getIntValue()) : integer(check, name, value(parser));
            case DURATION -> token == JsonToken.VALUE_NUMBER_INT
                    && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                    ? duration(check, name, parser.getLongValue()) : duration(check, name, value(parser));
            case FRICTION_SIGNALS -> frictionSignals(check, name, value(parser), field.symbols());
            case ATTRIBUTES -> attributes(check, name, value(parser));
        };
        if (value != null) {
            check.values[field.position()] = value;
        }
    }

    /** A string field's value: checked as text, then as a UUID or an instant if it is one; null if it fails. */
    private Object text(Check check, Field field, String text) {
        String name = field.name();
        if (!text(check, name, text, field.maxLength())) {
            return null;
        }
        return switch (field.kind()) {
            case UUID -> Uuids.isUuid(text) ? text : check.error(name,
                    "must be a UUID such as 3f2b8c1e-6a4d-4e0f-9b7a-2c5d8e1f0a3b", Reason.BAD_UUID);
            case INSTANT -> instant(check, name, text);
            case LABEL -> LabelValues.isReserved(text) ? check.error(name, "must not be " + String.join(", ",
                    LabelValues.RESERVED) + ": they name groups of events in the metrics", Reason.RESERVED) : text;
            default -> text;
        };
    }

    private Instant instant(Check check, String name, String text) {
        Instant instant = Timestamps.parse(text).orElse(null);
        if (instant == null) {
            return check.error(name, "must be an ISO-8601 instant with an offset, such as 2026-11-20T10:15:30Z",
                    Reason.BAD_TIMESTAMP);
        }
        if (instant.isAfter(check.now.plus(maxSkew))) {
            return check.error(name, "is more than " + EventAge.describe(maxSkew)
                    + " ahead of the time it was received (" + EventAge.MAX_CLOCK_SKEW.key() + ")", Reason.IN_FUTURE);
        }
        if (instant.isBefore(check.now.minus(maxAge))) {
            return check.error(name, "is older than " + EventAge.describe(maxAge) + " (" + EventAge.MAX_AGE.key()
                    + "), the oldest an event may be and still count", Reason.TOO_OLD);
        }
        return instant;
    }

    /** Whether {@code text} is not blank and at most {@code maxLength} characters (code points) long. */
    private static boolean text(Check check, String name, String text, int maxLength) {
        if (text.isBlank()) {
            check.error(name, "must not be blank", Reason.OUT_OF_RANGE);
            return false;
        }
        if (text.length() > maxLength) {
            int length = text.codePointCount(0, text.length());
            if (length > maxLength) {
                check.error(name, "must be at most " + maxLength + " characters, has " + length, Reason.TOO_LONG);
                return false;
            }
        }
        return true;
    }

    /** The text of a nested string value, checked; null (with its error) if it is not a string or fails. */
    private static String textValue(Check check, String name, JsonNode value, int maxLength) {
        if (!value.isTextual()) {
            return check.error(name, "must be a string, not " + describe(value), Reason.WRONG_TYPE);
        }
        String text = value.textValue();
        return text(check, name, text, maxLength) ? text : null;
    }

    private static Enum<?> symbol(Check check, String name, String text, Symbols symbols) {
        Enum<?> symbol = symbols.byName().get(text);
        return symbol != null ? symbol : badSymbol(check, name, TextNode.valueOf(text), symbols);
    }

    private static Enum<?> symbol(Check check, String name, JsonNode value, Symbols symbols) {
        return value != null && value.isTextual() ? symbol(check, name, value.textValue(), symbols)
                : badSymbol(check, name, value, symbols);
    }

    private static Enum<?> badSymbol(Check check, String name, JsonNode value, Symbols symbols) {
        return check.error(name, "must be one of " + String.join(", ", symbols.names()) + ", not "
                + describe(value), Reason.BAD_ENUM);
    }

    private static Integer integer(Check check, String name, JsonNode value) {
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            return check.error(name, "must be a whole number, not " + describe(value), Reason.WRONG_TYPE);
        }
        return value.intValue();
    }

    private static Long duration(Check check, String name, JsonNode value) {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            return check.error(name, "must be a whole number of milliseconds, not " + describe(value),
                    Reason.WRONG_TYPE);
        }
        return duration(check, name, value.longValue());
    }

    private static Long duration(Check check, String name, long millis) {
        return millis < 0 ? check.error(name, "must not be negative", Reason.OUT_OF_RANGE) : Long.valueOf(millis);
    }

    private static List<Enum<?>> frictionSignals(Check check, String name, JsonNode value, Symbols symbols) {
        if (!value.isArray()) {
            return check.error(name, "must be an array of friction signals, not " + describe(value),
                    Reason.WRONG_TYPE);
        }
        List<Enum<?>> signals = new ArrayList<>(value.size());
        boolean ok = true;
        for (int i = 0; i < value.size(); i++) {
            Enum<?> signal = symbol(check, name + "[" + i + "]", value.get(i), symbols);
            ok &= signal != null;
            signals.add(signal);
        }
        return ok ? signals : null;
    }

    private static Map<String, String> attributes(Check check, String name, JsonNode value) {
        if (!value.isObject()) {
            return check.error(name, "must be an object of string values, not " + describe(value),
                    Reason.WRONG_TYPE);
        }
        if (value.size() > MAX_ATTRIBUTES) {
            return check.error(name, "must have at most " + MAX_ATTRIBUTES + " entries, has " + value.size(),
                    Reason.TOO_LONG);
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        boolean ok = true;
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            String path = name + "." + entry.getKey();
            if (entry.getKey().length() > MAX_IDENTIFIER) {
                check.error(path, "name must be at most " + MAX_IDENTIFIER + " characters", Reason.TOO_LONG);
                ok = false;
                continue;
            }
            String text = textValue(check, path, entry.getValue(), MAX_ATTRIBUTE_VALUE);
            ok &= text != null;
            if (text != null) {
                attributes.put(entry.getKey(), text);
            }
        }
        return ok ? attributes : null;
    }

    private static void checkScoreRange(Check check) {
        Fields fields = check.fields;
        if (check.values[fields.metric()] instanceof SurveyMetric metric && ScoreScale.known(metric)
                && check.values[fields.score()] instanceof Integer s) {
            ScoreScale scale = ScoreScale.of(metric);
            if (!scale.contains(s)) {
                check.error("score", "must be between " + scale.min() + " and " + scale.max() + " for " + metric
                        + ", was " + s, Reason.OUT_OF_RANGE);
            }
        }
    }

    /**
     * The value at the current token: strings, whole numbers, booleans and null without the tree machinery;
     * anything else (floats, big numbers, objects, arrays) as a tree.
     */
    private static JsonNode value(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == null) {
            return null;
        }
        return switch (token) {
            case VALUE_STRING -> TextNode.valueOf(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> IntNode.valueOf(parser.getIntValue());
                case LONG -> LongNode.valueOf(parser.getLongValue());
                default -> parser.readValueAsTree();
            };
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            case VALUE_NULL -> NullNode.getInstance();
            default -> parser.readValueAsTree();
        };
    }

    /** How a field is checked. */
    /** How a field is checked; a LABEL is a TEXT that becomes a metric label, so the reserved values are refused. */
    private enum Kind { TEXT, LABEL, UUID, INSTANT, ENUM, INT, DURATION, FRICTION_SIGNALS, ATTRIBUTES }

    /**
     * A field of an event type: how it is checked, its index among the type's fields (its bit in the mask of
     * fields an event has sent) and its position in the Avro record (its slot in {@link Check}).
     *
     * @param maxLength  the longest text, for the string kinds
     * @param symbols    the symbols, for enums and friction signals
     * @param serialized the name, for the parser to match against the input's bytes
     */
    private record Field(String name, Kind kind, boolean required, int maxLength, Symbols symbols, int index,
            int position, SerializedString serialized) {
        long bit() {
            return 1L << index;
        }
    }

    /**
     * The fields of one event type; the record positions of the fields ingest stamps, of the field that is the
     * Kafka key, of the survey fields whose range is checked together, and of a list that defaults to empty
     * (-1 where a type has none).
     *
     * @param next the field that followed each field (by index, the first at the end) the last time it was not
     *             the one expected: a sender writes its events' fields in one order, so the parser can match the
     *             next name against its bytes instead of reading and looking it up. Only a hint, written and read
     *             by every request thread without locks; a stale one costs one failed match.
     */
    private record Fields(Map<String, Field> byName, List<Field> all, int size, int eventId, int receivedAt,
            int source, int key, int metric, int score, int emptyList, Field[] next) {
        /** The field expected after {@code previous} (null at the start of an event), or null. */
        Field after(Field previous) {
            return next[previous == null ? all.size() : previous.index()];
        }

        /** Remembers that {@code field} (null when unknown) came after {@code previous}. */
        void learn(Field previous, Field field) {
            next[previous == null ? all.size() : previous.index()] = field;
        }
    }

    private static Map<EventType, Fields> fieldsByType() {
        Map<EventType, Fields> fields = new EnumMap<>(EventType.class);
        for (EventType type : EventType.values()) {
            Schema schema = newRecord(type).getSchema();
            Map<String, Field> byName = new HashMap<>();
            List<Field> all = new ArrayList<>();
            new FieldList(type).forEach((name, kind, required, maxLength, symbols) -> {
                Field field = new Field(name, kind, required, maxLength, symbols, all.size(),
                        schema.getField(name).pos(), new SerializedString(name));
                all.add(field);
                byName.put(name, field);
            });
            String key = type == EventType.TICKET_EVENT ? "ticketId" : "customerId";
            fields.put(type, new Fields(byName, List.copyOf(all), schema.getFields().size(),
                    schema.getField("eventId").pos(), schema.getField("receivedAt").pos(),
                    schema.getField("source").pos(), byName.get(key).position(), position(byName, "metric"),
                    position(byName, "score"), position(byName, "frictionSignals"), new Field[all.size() + 1]));
        }
        return fields;
    }

    private static int position(Map<String, Field> byName, String name) {
        Field field = byName.get(name);
        return field == null ? -1 : field.position();
    }

    /** The fields an event of one type may send, in the order their missing-field errors are reported. */
    private static final class FieldList {
        @FunctionalInterface
        interface Sink {
            void field(String name, Kind kind, boolean required, int maxLength, Symbols symbols);
        }

        private final EventType type;

        FieldList(EventType type) {
            this.type = type;
        }

        void forEach(Sink sink) {
            sink.field("eventId", Kind.UUID, false, MAX_UUID, null);
            sink.field("occurredAt", Kind.INSTANT, true, MAX_INSTANT, null);
            identifier(sink, "customerId", true);
            label(sink, "segment", false);
            symbols(sink, "channel", Channel.class, false);
            sink.field("attributes", Kind.ATTRIBUTES, false, 0, null);
            switch (type) {
                case SURVEY_RESPONSE -> {
                    identifier(sink, "surveyId", true);
                    symbols(sink, "metric", SurveyMetric.class, true);
                    sink.field("score", Kind.INT, true, 0, null);
                    sink.field("comment", Kind.TEXT, false, MAX_COMMENT, null);
                    label(sink, "touchpoint", false);
                    identifier(sink, "journeyStage", false);
                }
                case TICKET_EVENT -> {
                    identifier(sink, "ticketId", true);
                    symbols(sink, "type", TicketEventType.class, true);
                    symbols(sink, "priority", TicketPriority.class, true);
                    label(sink, "queue", false);
                    identifier(sink, "agentId", false);
                }
                case TOUCHPOINT -> {
                    label(sink, "touchpoint", true);
                    identifier(sink, "journeyId", false);
                    identifier(sink, "journeyStage", false);
                    symbols(sink, "device", Device.class, false);
                    symbols(sink, "interaction", Interaction.class, false);
                    symbols(sink, "outcome", Outcome.class, true);
                    sink.field("frictionSignals", Kind.FRICTION_SIGNALS, false, 0, Symbols.of(FrictionSignal.class));
                    sink.field("durationMs", Kind.DURATION, false, 0, null);
                    identifier(sink, "errorCode", false);
                }
            }
        }

        private static void identifier(Sink sink, String name, boolean required) {
            sink.field(name, Kind.TEXT, required, MAX_IDENTIFIER, null);
        }

        private static void label(Sink sink, String name, boolean required) {
            sink.field(name, Kind.LABEL, required, MAX_IDENTIFIER, null);
        }

        private static void symbols(Sink sink, String name, Class<? extends Enum<?>> type, boolean required) {
            sink.field(name, Kind.ENUM, required, 0, Symbols.of(type));
        }
    }

    static SpecificRecordBase newRecord(EventType type) {
        return switch (type) {
            case SURVEY_RESPONSE -> new SurveyResponse();
            case TICKET_EVENT -> new TicketEvent();
            case TOUCHPOINT -> new TouchpointEvent();
        };
    }

    /** Collects the errors and the converted values of one event, one slot per field of its record. */
    private static final class Check {
        final Fields fields;
        final Object[] values;
        /** When the event was received. */
        final Instant now;
        /** Null until the first error. */
        List<FieldError> errors;

        Check(Fields fields, Instant now) {
            this.fields = fields;
            this.values = new Object[fields.size()];
            this.now = now;
        }

        /** Records an error; null, for a check to return as its value. */
        <T> T error(String field, String message, Reason reason) {
            if (errors == null) {
                errors = new ArrayList<>(4);
            }
            errors.add(new FieldError(field, message, reason));
            return null;
        }
    }

    /** The symbols an event may send for an enum: all but UNKNOWN, which is only for readers of old data. */
    private record Symbols(List<String> names, Map<String, Enum<?>> byName) {
        static Symbols of(Class<? extends Enum<?>> type) {
            Map<String, Enum<?>> byName = new LinkedHashMap<>();
            for (Enum<?> symbol : type.getEnumConstants()) {
                if (!symbol.name().equals("UNKNOWN")) {
                    byName.put(symbol.name(), symbol);
                }
            }
            return new Symbols(List.copyOf(byName.keySet()), new HashMap<>(byName));
        }
    }

    static String describe(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "nothing";
        }
        JsonNodeType type = value.getNodeType();
        String text = value.toString();
        return switch (type) {
            case STRING, NUMBER, BOOLEAN -> type.name().toLowerCase() + " " + abbreviate(text);
            case NULL -> "null";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> type.name().toLowerCase();
        };
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
