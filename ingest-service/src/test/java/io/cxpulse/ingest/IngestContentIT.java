package io.cxpulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

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
import io.cxpulse.ingest.IngestServiceExtension.Running;
import io.cxpulse.platform.junit.TopicReader;
import io.cxpulse.schemas.serde.SpecificAvroSerde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What lands on each topic decodes to exactly what was sent, plus the fields ingest stamps. */
@ExtendWith(IngestServiceExtension.class)
class IngestContentIT {

    @Test
    void shouldPublishSurveyResponsesAsSentKeyedByCustomer(Running ingest) {
        ObjectNode sent = Events.survey();
        Instant before = Instant.now();

        IngestHttp.Response response = ingest.http().postJson("/v1/survey-responses", IngestServiceExtension.TOKEN,
                sent.toString());

        assertThat(response.status()).isEqualTo(202);
        ConsumerRecord<String, SurveyResponse> record = find(ingest, "cx.survey-responses.v1",
                SurveyResponse.class, sent.path("eventId").asText());
        SurveyResponse event = record.value();
        assertThat(record.key()).isEqualTo(sent.path("customerId").asText());
        assertThat(event.getOccurredAt()).isEqualTo(Instant.parse(sent.path("occurredAt").asText()));
        assertThat(event.getCustomerId()).isEqualTo(sent.path("customerId").asText());
        assertThat(event.getSegment()).isEqualTo("smb");
        assertThat(event.getChannel()).isEqualTo(Channel.WEB);
        assertThat(event.getSurveyId()).isEqualTo("relationship-nps");
        assertThat(event.getMetric()).isEqualTo(SurveyMetric.NPS);
        assertThat(event.getScore()).isEqualTo(9);
        assertThat(event.getComment()).isEqualTo("Great support, slow checkout");
        assertThat(event.getTouchpoint()).isEqualTo("checkout.payment");
        assertThat(event.getJourneyStage()).isEqualTo("purchase");
        assertThat(event.getAttributes()).isEqualTo(Map.of("campaign", "q4"));
        assertThat(event.getSource()).isEqualTo("dev");
        assertThat(event.getReceivedAt()).isBetween(before.minusMillis(1), Instant.now());
    }

    @Test
    void shouldPublishTicketEventsAsSentKeyedByTicket(Running ingest) {
        ObjectNode sent = Events.ticket();
        sent.put("type", "AGENT_REPLIED");
        sent.put("agentId", "agent-7");

        assertThat(ingest.http().postJson("/v1/ticket-events", IngestServiceExtension.HELPDESK_TOKEN,
                sent.toString()).status()).isEqualTo(202);

        ConsumerRecord<String, TicketEvent> record = find(ingest, "cx.ticket-events.v1", TicketEvent.class,
                sent.path("eventId").asText());
        TicketEvent event = record.value();
        assertThat(record.key()).isEqualTo(sent.path("ticketId").asText());
        assertThat(event.getTicketId()).isEqualTo(sent.path("ticketId").asText());
        assertThat(event.getType()).isEqualTo(TicketEventType.AGENT_REPLIED);
        assertThat(event.getPriority()).isEqualTo(TicketPriority.HIGH);
        assertThat(event.getQueue()).isEqualTo("billing");
        assertThat(event.getAgentId()).isEqualTo("agent-7");
        assertThat(event.getChannel()).isEqualTo(Channel.CHAT);
        assertThat(event.getSegment()).isNull();
        assertThat(event.getSource()).isEqualTo("helpdesk");
    }

    @Test
    void shouldPublishTouchpointsAsSentKeyedByCustomer(Running ingest) {
        ObjectNode sent = Events.touchpoint();

        assertThat(ingest.http().postJson("/v1/touchpoints", IngestServiceExtension.TOKEN, sent.toString())
                .status()).isEqualTo(202);

        ConsumerRecord<String, TouchpointEvent> record = find(ingest, "cx.touchpoints.v1", TouchpointEvent.class,
                sent.path("eventId").asText());
        TouchpointEvent event = record.value();
        assertThat(record.key()).isEqualTo(sent.path("customerId").asText());
        assertThat(event.getTouchpoint()).isEqualTo("checkout.payment");
        assertThat(event.getJourneyId()).isEqualTo(sent.path("journeyId").asText());
        assertThat(event.getDevice()).isEqualTo(Device.MOBILE);
        assertThat(event.getInteraction()).isEqualTo(Interaction.SELF_SERVICE);
        assertThat(event.getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(event.getFrictionSignals()).containsExactly(FrictionSignal.ERROR, FrictionSignal.RETRY);
        assertThat(event.getDurationMs()).isEqualTo(48_000L);
        assertThat(event.getErrorCode()).isEqualTo("CARD_DECLINED");
        assertThat(event.getJourneyStage()).isNull();
    }

    @Test
    void shouldDefaultAbsentFrictionSignalsToEmpty(Running ingest) {
        ObjectNode sent = Events.touchpoint();
        sent.remove("frictionSignals");
        sent.put("outcome", "COMPLETED");

        assertThat(ingest.http().postJson("/v1/touchpoints", IngestServiceExtension.TOKEN, sent.toString())
                .status()).isEqualTo(202);

        assertThat(find(ingest, "cx.touchpoints.v1", TouchpointEvent.class, sent.path("eventId").asText())
                .value().getFrictionSignals()).isEmpty();
    }

    @Test
    void shouldPublishNothingFromARejectedEvent(Running ingest) {
        ObjectNode good = Events.survey();
        ObjectNode bad = Events.survey();
        bad.put("score", 11);

        IngestHttp.Response response = ingest.http().postJson("/v1/survey-responses", IngestServiceExtension.TOKEN,
                Events.array(List.of(bad, good)));

        assertThat(response.status()).isEqualTo(207);
        List<String> ids = eventIds(ingest, "cx.survey-responses.v1", SurveyResponse.class,
                good.path("eventId").asText());
        assertThat(ids).contains(good.path("eventId").asText()).doesNotContain(bad.path("eventId").asText());
    }

    private static <T extends SpecificRecord> ConsumerRecord<String, T> find(Running ingest, String topic,
            Class<T> type, String eventId) {
        List<ConsumerRecord<String, T>> found = read(ingest, topic, type, eventId);
        return found.stream().filter(r -> eventIdOf(r.value()).equals(eventId)).findFirst()
                .orElseThrow(() -> new AssertionError("event " + eventId + " not found on " + topic));
    }

    private static <T extends SpecificRecord> List<String> eventIds(Running ingest, String topic, Class<T> type,
            String untilEventId) {
        return read(ingest, topic, type, untilEventId).stream().map(r -> eventIdOf(r.value())).toList();
    }

    /** Reads the topic from the start until {@code eventId} has been seen (at most 30 s). */
    private static <T extends SpecificRecord> List<ConsumerRecord<String, T>> read(Running ingest, String topic,
            Class<T> type, String eventId) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(Map.of("schema.registry.url", ingest.platform().schemaRegistryUrl()), false);
        return TopicReader.read(ingest.platform().bootstrapServers(), topic, new StringDeserializer(),
                serde.deserializer(), records -> records.stream().anyMatch(r -> eventIdOf(r.value()).equals(eventId)));
    }

    private static String eventIdOf(SpecificRecord record) {
        return record.get(record.getSchema().getField("eventId").pos()).toString();
    }
}
