package io.cxpulse.ingest;

import java.util.Arrays;
import java.util.Optional;

import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.avro.TicketEvent;
import io.cxpulse.avro.TouchpointEvent;
import io.cxpulse.schemas.contract.CxTopic;

import org.apache.avro.Schema;

/** The three kinds of event ingest accepts, with their topic (whose id is their HTTP path), metric label and schema. */
public enum EventType {
    SURVEY_RESPONSE(CxTopic.SURVEY_RESPONSES, "survey_response"),
    TICKET_EVENT(CxTopic.TICKET_EVENTS, "ticket_event"),
    TOUCHPOINT(CxTopic.TOUCHPOINTS, "touchpoint");

    private final CxTopic topic;
    private final String label;

    EventType(CxTopic topic, String label) {
        this.topic = topic;
        this.label = label;
    }

    /** The last segment of the endpoint, {@code /v1/<path>}; also how a source's allowed types are written. */
    public String path() {
        return topic.id();
    }

    /** The topic the type's events are written to, as the event contract declares it. */
    public CxTopic topic() {
        return topic;
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
        return Arrays.stream(values()).filter(t -> t.path().equals(path)).findFirst();
    }
}
