package io.cxpulse.ingest;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Valid JSON events as a backend would send them, to change field by field in tests. */
public final class Events {
    private Events() {
    }

    /** Now, to the millisecond (event time is kept in milliseconds). */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    public static ObjectNode survey() {
        ObjectNode event = IngestHttp.JSON.createObjectNode();
        event.put("eventId", UUID.randomUUID().toString());
        event.put("occurredAt", now().minusSeconds(60).toString());
        event.put("customerId", "cust-" + UUID.randomUUID());
        event.put("segment", "smb");
        event.put("channel", "WEB");
        event.put("surveyId", "relationship-nps");
        event.put("metric", "NPS");
        event.put("score", 9);
        event.put("comment", "Great support, slow checkout");
        event.put("touchpoint", "checkout.payment");
        event.put("journeyStage", "purchase");
        event.putObject("attributes").put("campaign", "q4");
        return event;
    }

    public static ObjectNode ticket() {
        ObjectNode event = IngestHttp.JSON.createObjectNode();
        event.put("eventId", UUID.randomUUID().toString());
        event.put("occurredAt", now().minusSeconds(30).toString());
        event.put("customerId", "cust-" + UUID.randomUUID());
        event.put("channel", "CHAT");
        event.put("ticketId", "T-" + UUID.randomUUID());
        event.put("type", "OPENED");
        event.put("priority", "HIGH");
        event.put("queue", "billing");
        return event;
    }

    public static ObjectNode touchpoint() {
        ObjectNode event = IngestHttp.JSON.createObjectNode();
        event.put("eventId", UUID.randomUUID().toString());
        event.put("occurredAt", now().minusSeconds(10).toString());
        event.put("customerId", "cust-" + UUID.randomUUID());
        event.put("segment", "consumer");
        event.put("channel", "MOBILE_APP");
        event.put("touchpoint", "checkout.payment");
        event.put("journeyId", "j-" + UUID.randomUUID());
        event.put("device", "MOBILE");
        event.put("interaction", "SELF_SERVICE");
        event.put("outcome", "FAILED");
        event.putArray("frictionSignals").add("ERROR").add("RETRY");
        event.put("durationMs", 48_000);
        event.put("errorCode", "CARD_DECLINED");
        return event;
    }

    /** A JSON array of the events. */
    public static String array(List<ObjectNode> events) {
        return IngestHttp.JSON.createArrayNode().addAll(events).toString();
    }

    /** The events as NDJSON, one per line. */
    public static String ndjson(List<ObjectNode> events) {
        StringBuilder body = new StringBuilder();
        events.forEach(e -> body.append(e).append('\n'));
        return body.toString();
    }
}
