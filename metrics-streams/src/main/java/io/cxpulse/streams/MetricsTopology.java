package io.cxpulse.streams;

import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.avro.TicketEvent;
import io.cxpulse.streams.friction.FrictionObserver;
import io.cxpulse.streams.friction.FrictionTopology;
import io.cxpulse.streams.survey.SurveyObserver;
import io.cxpulse.streams.survey.SurveyTopology;
import io.cxpulse.streams.ticket.TicketObserver;
import io.cxpulse.streams.ticket.TicketTopology;
import io.cxpulse.streams.topic.Topics;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;

/**
 * The whole topology of metrics-streams: surveys, tickets, and friction joined with the fresh responses and ticket
 * openings of the other two. The one composition, used by the application and by {@code cxpulse bench streams}.
 * Pure: builds, does no I/O.
 */
public final class MetricsTopology {
    /** What each part reports to, for metrics. */
    public record Observers(SurveyObserver survey, TicketObserver tickets, FrictionObserver friction) {
        /** Observers that do nothing. */
        public static final Observers NONE = new Observers(SurveyObserver.NONE, TicketObserver.NONE,
                FrictionObserver.NONE);
    }

    private MetricsTopology() {
    }

    /** The topology over {@code topics}, with {@code config}'s settings. */
    public static Topology build(Topics topics, MetricsStreamsConfig config, Observers observers) {
        StreamsBuilder builder = new StreamsBuilder();
        addTo(builder, topics, config, observers);
        return builder.build();
    }

    /** Adds the topology to {@code builder}. */
    public static void addTo(StreamsBuilder builder, Topics topics, MetricsStreamsConfig config,
            Observers observers) {
        KStream<String, SurveyResponse> responses = SurveyTopology.build(builder, topics, config.survey(),
                observers.survey());
        KStream<String, TicketEvent> tickets = TicketTopology.build(builder, topics, config.tickets(),
                observers.tickets());
        FrictionTopology.build(builder, topics, config.friction(), observers.friction(), responses, tickets);
    }
}
