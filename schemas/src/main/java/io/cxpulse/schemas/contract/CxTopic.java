package io.cxpulse.schemas.contract;

import io.cxpulse.avro.CxAlert;
import io.cxpulse.avro.DeadLetter;
import io.cxpulse.avro.FrictionAggregate;
import io.cxpulse.avro.SurveyAggregate;
import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.avro.TicketAggregate;
import io.cxpulse.avro.TicketEvent;
import io.cxpulse.avro.TouchpointEvent;

import org.apache.avro.specific.SpecificRecord;

/**
 * Every topic of the event contract: its default name, the setting that renames it ({@code topic.<id>}) and the
 * Avro type of its values (subject {@code <topic>-value}). The one declaration that ingest, metrics-streams and the
 * CLI use; what each topic is keyed by is in docs/design.md.
 */
public enum CxTopic {
    SURVEY_RESPONSES("survey-responses", "cx.survey-responses.v1", SurveyResponse.class),
    TICKET_EVENTS("ticket-events", "cx.ticket-events.v1", TicketEvent.class),
    TOUCHPOINTS("touchpoints", "cx.touchpoints.v1", TouchpointEvent.class),
    SURVEY_AGGREGATES("survey-aggregates", "cx.survey-aggregates.v1", SurveyAggregate.class),
    TICKET_AGGREGATES("ticket-aggregates", "cx.ticket-aggregates.v1", TicketAggregate.class),
    FRICTION_AGGREGATES("friction-aggregates", "cx.friction-aggregates.v1", FrictionAggregate.class),
    ALERTS("alerts", "cx.alerts.v1", CxAlert.class),
    DEAD_LETTER("dead-letter", "cx.dead-letter.v1", DeadLetter.class);

    private final String id;
    private final String defaultName;
    private final Class<? extends SpecificRecord> valueType;

    CxTopic(String id, String defaultName, Class<? extends SpecificRecord> valueType) {
        this.id = id;
        this.defaultName = defaultName;
        this.valueType = valueType;
    }

    /** The topic's short name: {@code survey-responses}. */
    public String id() {
        return id;
    }

    /** The key of the setting that names the topic: {@code topic.survey-responses}. */
    public String settingKey() {
        return "topic." + id;
    }

    /** The topic's name unless a setting renames it. */
    public String defaultName() {
        return defaultName;
    }

    /** The generated Avro class of the topic's values. */
    public Class<? extends SpecificRecord> valueType() {
        return valueType;
    }
}
