package io.cxpulse.ingest.validation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;

import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.avro.TicketEvent;
import io.cxpulse.avro.TouchpointEvent;
import io.cxpulse.ingest.EventType;
import io.cxpulse.ingest.http.BodyParser;
import io.cxpulse.ingest.validation.EventValidator.Accepted;
import io.cxpulse.ingest.validation.EventValidator.Result;

import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Test support: an {@link EventValidator} that takes events as JSON trees or parsers and stamps them as received
 * at its clock's instant, and the Avro record an accepted event would be written as.
 */
public final class TestValidator {
    private final EventValidator validator;
    private final Clock clock;

    public TestValidator(Clock clock, Duration maxAge, Duration maxSkew) {
        this.validator = new EventValidator(maxAge, maxSkew);
        this.clock = clock;
    }

    /** Checks {@code event}, sent by {@code source} to the {@code type} endpoint; null is not an object. */
    public Result validate(EventType type, JsonNode event, String source) {
        JsonNode value = event == null ? BodyParser.JSON.nullNode() : event;
        try (JsonParser parser = value.traverse(BodyParser.JSON)) {
            parser.nextToken();
            return validate(type, parser, source);
        } catch (IOException e) {
            throw new UncheckedIOException("a JSON tree could not be read back", e);
        }
    }

    /** Checks the event at {@code parser}'s current token. */
    public Result validate(EventType type, JsonParser parser, String source) throws IOException {
        return validator.validate(type, parser, source, clock.instant());
    }

    /** The event as a new Avro record. */
    public static SpecificRecordBase record(Accepted accepted) {
        SpecificRecordBase record = EventValidator.newRecord(accepted.type());
        for (int i = 0; i < record.getSchema().getFields().size(); i++) {
            record.put(i, accepted.value(i));
        }
        return record;
    }

    /** An accepted event with the values of {@code record}, as if the validator had accepted it. */
    public static Accepted accepted(String eventId, String key, SpecificRecord record) {
        Object[] values = new Object[record.getSchema().getFields().size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = record.get(i);
        }
        return new Accepted(typeOf(record), eventId, key, values);
    }

    private static EventType typeOf(SpecificRecord record) {
        if (record instanceof SurveyResponse) {
            return EventType.SURVEY_RESPONSE;
        } else if (record instanceof TicketEvent) {
            return EventType.TICKET_EVENT;
        } else if (record instanceof TouchpointEvent) {
            return EventType.TOUCHPOINT;
        }
        throw new IllegalArgumentException("not an event record: " + record.getClass().getName());
    }
}
