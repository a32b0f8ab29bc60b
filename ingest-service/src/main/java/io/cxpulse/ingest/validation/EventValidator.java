package io.cxpulse.ingest.validation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
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
import io.cxpulse.common.Uuids;
import io.cxpulse.ingest.EventType;
import io.cxpulse.ingest.http.BodyParser;
import io.cxpulse.ingest.validation.FieldError.Reason;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Checks one JSON event completely against the event contract (every error, not just the first) and, when it
 * holds, builds the Avro record with the fields ingest stamps: {@code eventId} when absent, {@code receivedAt}
 * and {@code source}.
 */
public final class EventValidator {
    /** Longest identifier (ids, names, segments, touchpoints). */
    public static final int MAX_IDENTIFIER = 200;
    /** Longest survey comment. */
    public static final int MAX_COMMENT = 4_000;
    /** Most attributes per event, and the longest attribute value. */
    public static final int MAX_ATTRIBUTES = 50;
    public static final int MAX_ATTRIBUTE_VALUE = 1_000;

    private static final Map<EventType, Fields> FIELDS = fieldsByType();
    private static final ClassValue<Symbols> SYMBOLS = new ClassValue<>() {
        @Override
        protected Symbols computeValue(Class<?> type) {
            return Symbols.of(type);
        }
    };

    private final Clock clock;
    private final Duration maxAge;
    private final Duration maxSkew;

    public EventValidator(Clock clock, Duration maxAge, Duration maxSkew) {
        this.clock = clock;
        this.maxAge = maxAge;
        this.maxSkew = maxSkew;
    }

    /** The outcome for one event: a record to publish, or the reasons it was refused. */
    public sealed interface Result permits Accepted, Rejected {
        /** The event id: the one sent, the one ingest generated, or null when the one sent was unusable. */
        String eventId();
    }

    /**
     * An event that holds to the contract.
     *
     * @param eventId the event's id, a UUID
     * @param key     the Kafka key: customerId, or ticketId for ticket events
     * @param record  the Avro record
     */
    public record Accepted(String eventId, String key, SpecificRecord record) implements Result {
        /** @throws IllegalArgumentException if {@code eventId} is not a UUID: an answer writes it unescaped */
        public Accepted {
            if (eventId == null || !Uuids.isUuid(eventId)) {
                throw new IllegalArgumentException("an accepted event's id must be a UUID, not " + eventId);
            }
        }
    }

    /** An event that breaks the contract, with every reason. */
    public record Rejected(String eventId, List<FieldError> errors) implements Result {
        public Rejected {
            errors = List.copyOf(errors);
        }
    }

    /** Checks {@code event}, sent by {@code source} to the {@code type} endpoint. */
    public Result validate(EventType type, JsonNode event, String source) {
        if (event == null) {
            return notAnObject(null);
        }
        try (JsonParser parser = event.traverse(BodyParser.JSON)) {
            parser.nextToken();
            return validate(type, parser, source);
        } catch (IOException e) {
            throw new UncheckedIOException("a JSON tree could not be read back", e);
        }
    }

    /**
     * Checks the event at {@code parser}'s current token, sent by {@code source} to the {@code type} endpoint,
     * reading exactly that value. Fields are read as they stream past; only nested objects and arrays become trees.
     *
     * @throws JsonProcessingException when the event is not JSON, or names a field twice
     */
    public Result validate(EventType type, JsonParser parser, String source) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            return notAnObject(value(parser));
        }
        Fields fields = FIELDS.get(type);
        Check check = new Check(fields);
        long seen = 0;
        Set<String> others = null;
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            parser.nextToken();
            Field field = fields.byName().get(name);
            if (field != null) {
                if ((seen & field.bit()) != 0) {
                    throw duplicate(parser, name);
                }
                seen |= field.bit();
                check.current = field;
                field.rule().apply(check, name, value(parser));
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
            if (field.rule().required() && (seen & field.bit()) == 0) {
                check.error(field.name(), "is required", Reason.MISSING_FIELD);
            }
        }
        if (type == EventType.SURVEY_RESPONSE) {
            checkScoreRange(check);
        }
        String sentId = check.get("eventId") instanceof String id ? id : null;
        if (!check.errors.isEmpty()) {
            return new Rejected(sentId, check.errors);
        }
        String eventId = sentId != null ? sentId : UUID.randomUUID().toString();
        Instant receivedAt = clock.instant();
        return build(type, check, eventId, receivedAt, source);
    }

    private static Rejected notAnObject(JsonNode value) {
        return new Rejected(null, List.of(new FieldError("", "each event must be a JSON object, not "
                + describe(value), Reason.NOT_AN_OBJECT)));
    }

    private static JsonParseException duplicate(JsonParser parser, String name) {
        return new JsonParseException(parser, "Duplicate field '" + name + "'");
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

    /**
     * A field of an event type: its rule, its index among the type's fields (its slot in {@link Check} and its
     * bit in the mask of fields an event has sent) and its position in the Avro record.
     */
    private record Field(String name, Rule rule, int index, int position) {
        long bit() {
            return 1L << index;
        }
    }

    /**
     * The fields of one event type, the record positions of the fields ingest stamps, and the slot of the field
     * that is the Kafka key.
     */
    private record Fields(Map<String, Field> byName, List<Field> all, int eventId, int receivedAt, int source,
            int key) {
    }

    private static Map<EventType, Fields> fieldsByType() {
        Map<EventType, Fields> fields = new EnumMap<>(EventType.class);
        for (EventType type : EventType.values()) {
            Schema schema = newRecord(type).getSchema();
            Map<String, Field> ofType = new LinkedHashMap<>();
            rules(type).forEach((name, rule) -> ofType.put(name,
                    new Field(name, rule, ofType.size(), schema.getField(name).pos())));
            String key = type == EventType.TICKET_EVENT ? "ticketId" : "customerId";
            fields.put(type, new Fields(Collections.unmodifiableMap(ofType), List.copyOf(ofType.values()),
                    schema.getField("eventId").pos(), schema.getField("receivedAt").pos(),
                    schema.getField("source").pos(), ofType.get(key).index()));
        }
        return fields;
    }

    private static SpecificRecordBase newRecord(EventType type) {
        return switch (type) {
            case SURVEY_RESPONSE -> new SurveyResponse();
            case TICKET_EVENT -> new TicketEvent();
            case TOUCHPOINT -> new TouchpointEvent();
        };
    }

    private static Map<String, Rule> rules(EventType type) {
        Map<String, Rule> rules = new LinkedHashMap<>();
        rules.put("eventId", Rule.uuid(false));
        rules.put("occurredAt", Rule.INSTANT);
        rules.put("customerId", Rule.identifier(true));
        rules.put("segment", Rule.identifier(false));
        rules.put("channel", Rule.enumOf(Channel.class, false));
        rules.put("attributes", Rule.ATTRIBUTES);
        switch (type) {
            case SURVEY_RESPONSE -> {
                rules.put("surveyId", Rule.identifier(true));
                rules.put("metric", Rule.enumOf(SurveyMetric.class, true));
                rules.put("score", Rule.INT);
                rules.put("comment", Rule.text(MAX_COMMENT, false));
                rules.put("touchpoint", Rule.identifier(false));
                rules.put("journeyStage", Rule.identifier(false));
            }
            case TICKET_EVENT -> {
                rules.put("ticketId", Rule.identifier(true));
                rules.put("type", Rule.enumOf(TicketEventType.class, true));
                rules.put("priority", Rule.enumOf(TicketPriority.class, true));
                rules.put("queue", Rule.identifier(false));
                rules.put("agentId", Rule.identifier(false));
            }
            case TOUCHPOINT -> {
                rules.put("touchpoint", Rule.identifier(true));
                rules.put("journeyId", Rule.identifier(false));
                rules.put("journeyStage", Rule.identifier(false));
                rules.put("device", Rule.enumOf(Device.class, false));
                rules.put("interaction", Rule.enumOf(Interaction.class, false));
                rules.put("outcome", Rule.enumOf(Outcome.class, true));
                rules.put("frictionSignals", Rule.FRICTION_SIGNALS);
                rules.put("durationMs", Rule.DURATION);
                rules.put("errorCode", Rule.identifier(false));
            }
        }
        return rules;
    }

    private static void checkScoreRange(Check check) {
        if (check.get("metric") instanceof SurveyMetric metric && check.get("score") instanceof Integer s) {
            int min = metric == SurveyMetric.NPS ? 0 : 1;
            int max = switch (metric) {
                case NPS -> 10;
                case CSAT -> 5;
                default -> 7;
            };
            if (s < min || s > max) {
                check.error("score", "must be between " + min + " and " + max + " for " + metric + ", was " + s,
                        Reason.OUT_OF_RANGE);
            }
        }
    }

    /** Collects errors and the converted values of one event, one slot per field of its type. */
    private final class Check {
        final List<FieldError> errors = new ArrayList<>();
        final Fields fields;
        final Object[] values;
        /** The field whose rule is running. */
        Field current;

        Check(Fields fields) {
            this.fields = fields;
            this.values = new Object[fields.all().size()];
        }

        /** Keeps the converted value of the current field. */
        void put(Object value) {
            values[current.index()] = value;
        }

        /** The converted value of the field {@code name}, or null. */
        Object get(String name) {
            return values[fields.byName().get(name).index()];
        }

        void error(String field, String message, Reason reason) {
            errors.add(new FieldError(field, message, reason));
        }

        Instant now() {
            return clock.instant();
        }

        EventValidator validator() {
            return EventValidator.this;
        }
    }

    /** How one field is checked and converted. */
    @FunctionalInterface
    private interface Rule {
        /** Checks the field {@code name} of the event; puts the converted value, or records errors. */
        void check(Check check, String name, JsonNode value);

        default void apply(Check check, String name, JsonNode value) {
            if (value == null || value.isNull()) {
                if (required()) {
                    check.error(name, "is required", Reason.MISSING_FIELD);
                }
                return;
            }
            check(check, name, value);
        }

        default boolean required() {
            return false;
        }

        static Rule requiredIf(boolean required, Rule rule) {
            if (!required) {
                return rule;
            }
            return new Rule() {
                @Override
                public void check(Check check, String name, JsonNode value) {
                    rule.check(check, name, value);
                }

                @Override
                public boolean required() {
                    return true;
                }
            };
        }

        static Rule text(int maxLength, boolean required) {
            return requiredIf(required, (check, name, value) -> textValue(check, name, value, maxLength)
                    .ifPresent(check::put));
        }

        static Rule identifier(boolean required) {
            return text(MAX_IDENTIFIER, required);
        }

        static Rule uuid(boolean required) {
            return requiredIf(required, (check, name, value) -> textValue(check, name, value, 36).ifPresent(text -> {
                if (Uuids.isUuid(text)) {
                    check.put(text);
                } else {
                    check.error(name, "must be a UUID such as 3f2b8c1e-6a4d-4e0f-9b7a-2c5d8e1f0a3b", Reason.BAD_UUID);
                }
            }));
        }

        static <E extends Enum<E>> Rule enumOf(Class<E> type, boolean required) {
            return requiredIf(required, (check, name, value) -> enumValue(check, name, value, type)
                    .ifPresent(check::put));
        }

        Rule INSTANT = requiredIf(true, (check, name, value) -> textValue(check, name, value, 64).ifPresent(text -> {
            Instant instant = Timestamps.parse(text).orElse(null);
            if (instant == null) {
                check.error(name, "must be an ISO-8601 instant with an offset, such as 2026-11-20T10:15:30Z",
                        Reason.BAD_TIMESTAMP);
                return;
            }
            EventValidator validator = check.validator();
            Instant now = check.now();
            if (instant.isAfter(now.plus(validator.maxSkew))) {
                check.error(name, "is more than " + validator.maxSkew.toMinutes() + " minutes in the future",
                        Reason.IN_FUTURE);
            } else if (instant.isBefore(now.minus(validator.maxAge))) {
                check.error(name, "is older than " + validator.maxAge.toDays() + " days", Reason.TOO_OLD);
            } else {
                check.put(instant);
            }
        }));

        Rule INT = requiredIf(true, (check, name, value) -> {
            if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                check.error(name, "must be a whole number, not " + describe(value), Reason.WRONG_TYPE);
            } else {
                check.put(value.intValue());
            }
        });

        Rule DURATION = (check, name, value) -> {
            if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                check.error(name, "must be a whole number of milliseconds, not " + describe(value),
                        Reason.WRONG_TYPE);
            } else if (value.longValue() < 0) {
                check.error(name, "must not be negative", Reason.OUT_OF_RANGE);
            } else {
                check.put(value.longValue());
            }
        };

        Rule FRICTION_SIGNALS = (check, name, value) -> {
            if (!value.isArray()) {
                check.error(name, "must be an array of friction signals, not " + describe(value), Reason.WRONG_TYPE);
                return;
            }
            List<FrictionSignal> signals = new ArrayList<>();
            boolean ok = true;
            for (int i = 0; i < value.size(); i++) {
                Optional<FrictionSignal> signal = enumValue(check, name + "[" + i + "]", value.get(i),
                        FrictionSignal.class);
                ok &= signal.isPresent();
                signal.ifPresent(signals::add);
            }
            if (ok) {
                check.put(signals);
            }
        };

        Rule ATTRIBUTES = (check, name, value) -> {
            if (!value.isObject()) {
                check.error(name, "must be an object of string values, not " + describe(value), Reason.WRONG_TYPE);
                return;
            }
            if (value.size() > MAX_ATTRIBUTES) {
                check.error(name, "must have at most " + MAX_ATTRIBUTES + " entries, has " + value.size(),
                        Reason.TOO_LONG);
                return;
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
                Optional<String> text = textValue(check, path, entry.getValue(), MAX_ATTRIBUTE_VALUE);
                ok &= text.isPresent();
                text.ifPresent(t -> attributes.put(entry.getKey(), t));
            }
            if (ok) {
                check.put(attributes);
            }
        };
    }

    private static Optional<String> textValue(Check check, String name, JsonNode value, int maxLength) {
        if (!value.isTextual()) {
            check.error(name, "must be a string, not " + describe(value), Reason.WRONG_TYPE);
            return Optional.empty();
        }
        String text = value.textValue();
        if (text.isBlank()) {
            check.error(name, "must not be blank", Reason.OUT_OF_RANGE);
            return Optional.empty();
        }
        int length = text.codePointCount(0, text.length());
        if (length > maxLength) {
            check.error(name, "must be at most " + maxLength + " characters, has " + length, Reason.TOO_LONG);
            return Optional.empty();
        }
        return Optional.of(text);
    }

    private static <E extends Enum<E>> Optional<E> enumValue(Check check, String name, JsonNode value, Class<E> type) {
        Symbols symbols = SYMBOLS.get(type);
        Enum<?> symbol = value != null && value.isTextual() ? symbols.byName().get(value.textValue()) : null;
        if (symbol != null) {
            return Optional.of(type.cast(symbol));
        }
        check.error(name, "must be one of " + String.join(", ", symbols.names()) + ", not " + describe(value),
                Reason.BAD_ENUM);
        return Optional.empty();
    }

    /** The symbols an event may send for an enum: all but UNKNOWN, which is only for readers of old data. */
    private record Symbols(List<String> names, Map<String, Enum<?>> byName) {
        static Symbols of(Class<?> type) {
            Map<String, Enum<?>> byName = new LinkedHashMap<>();
            for (Object constant : type.getEnumConstants()) {
                Enum<?> symbol = (Enum<?>) constant;
                if (!symbol.name().equals("UNKNOWN")) {
                    byName.put(symbol.name(), symbol);
                }
            }
            return new Symbols(List.copyOf(byName.keySet()), Map.copyOf(byName));
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

    /**
     * Fills a new record by field position from the checked values (already of the record's Java types), then
     * the stamped fields. Fields the event left out stay at their defaults: null, or an empty friction list.
     */
    private static Accepted build(EventType type, Check check, String eventId, Instant receivedAt, String source) {
        SpecificRecordBase record = newRecord(type);
        if (type == EventType.TOUCHPOINT) {
            record.put("frictionSignals", List.of());
        }
        Fields fields = check.fields;
        for (Field field : fields.all()) {
            Object value = check.values[field.index()];
            if (value != null) {
                record.put(field.position(), value);
            }
        }
        record.put(fields.eventId(), eventId);
        record.put(fields.receivedAt(), receivedAt);
        record.put(fields.source(), source);
        return new Accepted(eventId, (String) check.values[fields.key()], record);
    }
}
