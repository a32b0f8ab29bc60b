package io.cxpulse.streams.survey;

import java.util.Map;

import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.streams.intake.EventIntake;
import io.cxpulse.streams.intake.EventIntake.Fresh;
import io.cxpulse.streams.state.PendingSums;
import io.cxpulse.streams.survey.SurveyWindows.AggregateOut;
import io.cxpulse.streams.survey.SurveyWindows.AlertOut;
import io.cxpulse.streams.survey.SurveyWindows.Emitted;
import io.cxpulse.streams.topic.Topics;
import io.cxpulse.streams.window.RollingWindow;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The survey topology: responses in; deduplicated, dimensioned, bucketed and summed into rolling NPS, CSAT and
 * CES per dimension; aggregates, alerts and dead letters out. Adds to a {@link StreamsBuilder} and does no I/O.
 *
 * <pre>
 * survey-source (cx.survey-responses.v1, event time = occurredAt)
 *   -> survey-intake [survey-seen-event-ids, batches once per commit]: dead letters | fresh responses
 *   -> survey-combine [survey-pending-sums, written once per commit]: per dimension key (METRIC|dimension) and
 *      minute, the histogram of new responses, sent on every 100 ms
 *   -> survey-by-dimension (repartition: each key's buckets live in one task)
 *   -> survey-windows [survey-buckets-1m, survey-buckets-1h, survey-detractor-alerts]
 *   -> cx.survey-aggregates.v1 | cx.alerts.v1
 * </pre>
 */
public final class SurveyTopology {
    /** The store of open detractor alerts, by key; its name is part of the app's contract. */
    public static final String ALERT_STORE = "survey-detractor-alerts";
    /** How the intake reads survey responses; its store names are part of the app's contract. */
    static final EventIntake.Kind<SurveyResponse> INTAKE = new EventIntake.Kind<>("survey",
            (key, response) -> SurveyContract.violation(response), SurveyResponse::getEventId,
            SurveyResponse::getOccurredAt);

    private SurveyTopology() {
    }

    /** Adds the survey topology to {@code builder}; returns the fresh responses (deduplicated, in contract). */
    public static KStream<String, SurveyResponse> build(StreamsBuilder builder, Topics topics, SurveySettings settings,
            SurveyObserver observer) {
        // buckets are cached: a bucket updated many times between commits is written to RocksDB and its changelog
        // once per commit
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(
                RollingWindow.Bucket.MINUTE.store(), settings.buckets().minute(),
                RollingWindow.Bucket.MINUTE.size(), false), Serdes.String(), new ScoreHistogramSerde())
                .withCachingEnabled());
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(
                RollingWindow.Bucket.HOUR.store(), settings.buckets().hour(), RollingWindow.Bucket.HOUR.size(),
                false), Serdes.String(), new ScoreHistogramSerde()).withCachingEnabled());
        PendingSums.addStores(builder, SurveyCombiner.PENDING_STORE, new ScoreHistogramSerde());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ALERT_STORE),
                Serdes.String(), topics.alerts().valueSerde()));

        KStream<String, Fresh<SurveyResponse>> fresh = EventIntake.addTo(builder, topics.surveyResponses(), INTAKE,
                settings.intake(), observer, topics.deadLetters());
        KStream<String, Emitted> emitted = fresh
                .process(() -> new SurveyCombiner(settings), Named.as(SurveyCombiner.NAME),
                        PendingSums.stores(SurveyCombiner.PENDING_STORE))
                .repartition(Repartitioned.<String, ScoreHistogram>as("survey-by-dimension")
                        .withKeySerde(Serdes.String()).withValueSerde(new ScoreHistogramSerde()))
                .process(() -> new SurveyWindows(settings, observer), Named.as(SurveyWindows.NAME),
                        RollingWindow.Bucket.MINUTE.store(), RollingWindow.Bucket.HOUR.store(),
                        ALERT_STORE);
        Map<String, KStream<String, Emitted>> outputs = emitted.split(Named.as("survey-out-"))
                .branch((key, value) -> value instanceof AlertOut, Branched.as("alerts"))
                .defaultBranch(Branched.as("aggregates"));
        outputs.get("survey-out-aggregates")
                .mapValues(value -> ((AggregateOut) value).aggregate(), Named.as("survey-aggregates"))
                .to(topics.surveyAggregates().name(), topics.surveyAggregates().produced()
                        .withName("survey-aggregates-sink"));
        outputs.get("survey-out-alerts")
                .mapValues(value -> ((AlertOut) value).alert(), Named.as("survey-alerts"))
                .to(topics.alerts().name(), topics.alerts().produced().withName("survey-alerts-sink"));
        return fresh.mapValues(Fresh::event, Named.as("survey-fresh-responses"));
    }
}
