package io.cxpulse.ingest;

import java.util.Arrays;
import java.util.Optional;

/** The three kinds of event ingest accepts, with their HTTP path, default topic and metric label. */
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

    public static Optional<EventType> fromPath(String path) {
        return Arrays.stream(values()).filter(t -> t.path.equals(path)).findFirst();
    }
}
