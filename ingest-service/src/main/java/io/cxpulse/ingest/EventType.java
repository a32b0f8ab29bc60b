package io.cxpulse.ingest;

import java.util.Arrays;
import java.util.Optional;

import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.avro.TicketEvent;
import io.cxpulse.avro.TouchpointEvent;

import org.apache.avro.Schema;

/** The three kinds of event ingest accepts, with their HTTP path, default topic, metric label and schema. */
public enum EventType {
    SURVEY_RESPONSE("survey-responses", "cx.survey-responses.v1", "survey_response"),
    TICKET_EVENT("ticket-events", "cx.ticket-events.v1", "ticket_event"),
    TOUCHPOINT("touchpoints", "cx.touchpoints.v1", "touchpoint");

    private final String path;
    private final String defaultTopic;
    private final String label;

    EventType(String path, String defaultTopic, String label) {
        this.path = path;
        this.defaultTopic = defaultTopic;
        this.label = label;
    }

    /** The last segment of the endpoint, {@code /v1/<path>}; also how a source's allowed types are written. */
    public String path() {
        return path;
    }

    public String defaultTopic() {
        return defaultTopic;
    }

    /** The value of the {@code type} label on metrics. */
    public String label() {
        return label;
    }

    /** The schema of the type's records, as generated. */
    public Schema schema() {
        return switch (this) {
            case SURVEY_RESPONSE -> SurveyResponse.getClassSchema();
            case TICKET_EVENT -> TicketEvent.getClassSchema();
            case TOUCHPOINT -> TouchpointEvent.getClassSchema();
        };
    }

    public static Optional<EventType> fromPath(String path) {
        return Arrays.stream(values()).filter(t -> t.path.equals(path)).findFirst();
    }
}
