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
 * Every topic of the event contract: its default name, the setting that renames it ({@code topic.<id>}), what its
 * records are keyed by, and the Avro type of their values (subject {@code <topic>-value}). The one declaration that
 * ingest, metrics-streams and the CLI use.
 */
public enum CxTopic {
    SURVEY_RESPONSES("survey-responses", "cx.survey-responses.v1", "customerId", SurveyResponse.class),
    TICKET_EVENTS("ticket-events", "cx.ticket-events.v1", "ticketId", TicketEvent.class),
    TOUCHPOINTS("touchpoints", "cx.touchpoints.v1", "customerId", TouchpointEvent.class),
    SURVEY_AGGREGATES("survey-aggregates", "cx.survey-aggregates.v1", "METRIC|dimension|window",
            SurveyAggregate.class),
    TICKET_AGGREGATES("ticket-aggregates", "cx.ticket-aggregates.v1", "CHANNEL|PRIORITY|=queue|window",
            TicketAggregate.class),
    FRICTION_AGGREGATES("friction-aggregates", "cx.friction-aggregates.v1", "CHANNEL|step|window",
            FrictionAggregate.class),
    ALERTS("alerts", "cx.alerts.v1", "the alert's key", CxAlert.class),
    DEAD_LETTER("dead-letter", "cx.dead-letter.v1", "the original record's key", DeadLetter.class);

    private final String id;
    private final String defaultName;
    private final String key;
    private final Class<? extends SpecificRecord> valueType;

    CxTopic(String id, String defaultName, String key, Class<? extends SpecificRecord> valueType) {
        this.id = id;
        this.defaultName = defaultName;
        this.key = key;
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

    /** What the topic's records are keyed by. */
    public String key() {
        return key;
    }

    /** The generated Avro class of the topic's values. */
    public Class<? extends SpecificRecord> valueType() {
        return valueType;
    }
}
