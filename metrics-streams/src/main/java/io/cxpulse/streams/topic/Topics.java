package io.cxpulse.streams.topic;

import java.util.List;
import java.util.Map;

import io.cxpulse.avro.CxAlert;
import io.cxpulse.avro.DeadLetter;
import io.cxpulse.avro.FrictionAggregate;
import io.cxpulse.avro.SurveyAggregate;
import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.avro.TicketAggregate;
import io.cxpulse.avro.TicketEvent;
import io.cxpulse.avro.TouchpointEvent;
import io.cxpulse.schemas.contract.CxTopic;
import io.cxpulse.schemas.registry.SchemaRegistryClient;
import io.cxpulse.schemas.serde.AvroDeserializer;
import io.cxpulse.schemas.serde.SpecificAvroSerde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic metrics-streams reads or writes, with its serdes.
 *
 * @param surveyResponses  survey responses as ingest wrote them, decoded without failing on poison records
 * @param surveyAggregates rolling survey aggregates, keyed by dimension and window
 * @param ticketEvents     ticket lifecycle events as ingest wrote them (keyed by ticketId), decoded likewise
 * @param ticketAggregates rolling ticket durations, keyed by cell (channel, priority, queue) and window
 * @param touchpoints      journey touchpoints as ingest wrote them (keyed by customerId), decoded likewise
 * @param frictionAggregates rolling friction aggregates, keyed by touchpoint and window
 * @param alerts           detractor alerts as they open and resolve
 * @param deadLetters      records that could not be processed, with their coordinates
 */
public record Topics(Topic<String, Decoded<SurveyResponse>> surveyResponses,
        Topic<String, SurveyAggregate> surveyAggregates, Topic<String, Decoded<TicketEvent>> ticketEvents,
        Topic<String, TicketAggregate> ticketAggregates, Topic<String, Decoded<TouchpointEvent>> touchpoints,
        Topic<String, FrictionAggregate> frictionAggregates, Topic<String, CxAlert> alerts,
        Topic<String, DeadLetter> deadLetters) {
    /**
     * The topics under their default names, with Avro serdes that share {@code registry} and read {@code serde}
     * (the registry settings under Confluent's names, such as {@code auto.register.schemas}).
     */
    public static Topics create(SchemaRegistryClient registry, Map<String, ?> serde) {
        return create(registry, serde, Map.of());
    }

    /** The topics, named by {@code names} where it has a name (by {@link CxTopic#id()}) and by default otherwise. */
    public static Topics create(SchemaRegistryClient registry, Map<String, ?> serde, Map<String, String> names) {
        return new Topics(
                new Topic<>(name(names, CxTopic.SURVEY_RESPONSES), Serdes.String(),
                        decoding(SurveyResponse.class, registry, serde)),
                new Topic<>(name(names, CxTopic.SURVEY_AGGREGATES), Serdes.String(),
                        avro(SurveyAggregate.class, registry, serde)),
                new Topic<>(name(names, CxTopic.TICKET_EVENTS), Serdes.String(),
                        decoding(TicketEvent.class, registry, serde)),
                new Topic<>(name(names, CxTopic.TICKET_AGGREGATES), Serdes.String(),
                        avro(TicketAggregate.class, registry, serde)),
                new Topic<>(name(names, CxTopic.TOUCHPOINTS), Serdes.String(),
                        decoding(TouchpointEvent.class, registry, serde)),
                new Topic<>(name(names, CxTopic.FRICTION_AGGREGATES), Serdes.String(),
                        avro(FrictionAggregate.class, registry, serde)),
                new Topic<>(name(names, CxTopic.ALERTS), Serdes.String(),
                        avro(CxAlert.class, registry, serde)),
                new Topic<>(name(names, CxTopic.DEAD_LETTER), Serdes.String(),
                        avro(DeadLetter.class, registry, serde)));
    }

    private static String name(Map<String, String> names, CxTopic topic) {
        return names.getOrDefault(topic.id(), topic.defaultName());
    }

    private static <T extends SpecificRecord> DecodingSerde<T> decoding(Class<T> type,
            SchemaRegistryClient registry, Map<String, ?> serde) {
        DecodingSerde<T> decoding = new DecodingSerde<>(new AvroDeserializer<>(registry, type));
        decoding.configure(serde, false);
        return decoding;
    }

    /** Every topic metrics-streams reads or writes. */
    public List<String> all() {
        return List.of(surveyResponses.name(), surveyAggregates.name(), ticketEvents.name(), ticketAggregates.name(),
                touchpoints.name(), frictionAggregates.name(), alerts.name(), deadLetters.name());
    }

    /**
     * The input topics whose events meet by customerId in one task (ticket events through a repartition topic of
     * as many partitions as theirs), which must therefore have the same number of partitions.
     */
    public List<String> copartitioned() {
        return List.of(surveyResponses.name(), touchpoints.name(), ticketEvents.name());
    }

    private static <T extends SpecificRecord> SpecificAvroSerde<T> avro(Class<T> type, SchemaRegistryClient registry,
            Map<String, ?> serde) {
        SpecificAvroSerde<T> avro = new SpecificAvroSerde<>(type, registry);
        avro.configure(serde, false);
        return avro;
    }
}
