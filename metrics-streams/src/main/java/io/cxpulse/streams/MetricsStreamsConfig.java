package io.cxpulse.streams;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.cxpulse.avro.TicketPriority;
import io.cxpulse.common.LayeredConfig;
import io.cxpulse.streams.alert.ShareAlertRule;
import io.cxpulse.streams.friction.FrictionSettings;
import io.cxpulse.streams.intake.SeenEventIds;
import io.cxpulse.streams.survey.SurveySettings;
import io.cxpulse.streams.ticket.TicketSettings;
import io.cxpulse.streams.topic.Topics;

import org.apache.kafka.common.config.ConfigException;

/**
 * The settings of metrics-streams, parsed once from a {@link LayeredConfig}. Every key, with its default:
 *
 * <pre>
 * http.host                   127.0.0.1
 * http.port                   8090                 query API, /metrics and health
 * application.id              cxpulse-metrics-streams
 * state.dir                   .cxpulse/state/metrics-streams
 * processing.guarantee        exactly_once_v2      or at_least_once
 * num.stream.threads          1
 * survey.grace                PT1H                 events later than this behind stream time are dead-lettered
 * survey.dedup.retention      P7D                  how long an eventId is remembered
 * survey.dedup.ids.in.memory  250000               per task: remembered ids located in memory (21 to 43 bytes
 *                                                  each); past it they are indexed in RocksDB (0: always)
 * survey.minute.retention     P2D                  how long minute buckets are kept
 * survey.hour.retention       P35D                 how long hour buckets are kept
 * survey.combine.interval     PT0.1S               how often new responses cross to the tasks that own their keys
 * survey.emit.interval        PT1S                 how often changed aggregates are emitted
 * ticket.grace               PT1H                 likewise for ticket events; a duration is final (reported) once
 *                                                  stream time minus grace has passed it
 * ticket.dedup.retention      P7D
 * ticket.dedup.ids.in.memory  250000
 * ticket.retention            P35D                 how long a ticket is kept after its latest event
 * ticket.minute.retention     P2D
 * ticket.hour.retention       P35D
 * ticket.settle.interval      PT1S                 how often tickets that fell due are settled
 * ticket.emit.interval        PT1S                 how often changed duration windows are summed
 * ticket.target.urgent        PT15M                first-response target per priority ("none" for no target)
 * ticket.target.high          PT1H
 * ticket.target.normal        PT4H
 * ticket.target.low           PT24H
 * friction.grace             PT1H                 likewise for touchpoints
 * friction.dedup.retention    P7D
 * friction.dedup.ids.in.memory 250000
 * friction.history            P7D                  how long a customer's touchpoints are kept (repeated contact,
 *                                                  and how far back an NPS response is joined)
 * friction.history.max.visits 200                  per customer; the oldest go first
 * friction.customers.in.memory 5000                per task: recent customers' histories held as objects, written
 *                                                  once per commit (about 4 KB each with 25 visits)
 * friction.minute.retention   P2D
 * friction.hour.retention     P35D
 * friction.emit.interval      PT1S
 * friction.sweep.interval     PT10M                how often histories past their retention are removed
 * friction.alerts.z           3                    1h friction rate above the 7-day rate, in standard errors
 * friction.alerts.resolve.z   1
 * friction.alerts.min.events  50                   the fewest events in the hour to alert on
 * friction.lift.min.responses 30                   NPS responses per group for a lift to be significant
 * friction.lift.z             1.96
 * alerts.z                    3                    standard errors above the 7-day share that open an alert
 * alerts.resolve.z            1                    at or below this an open alert resolves
 * alerts.min.responses        30                   the fewest responses in the hour to alert on
 * metrics.top.n               20                   segments with their own label; the rest are "other"
 * topics.create               true                 create the output topics at start
 * topics.partitions           6
 * topic.survey-responses      cx.survey-responses.v1   (likewise topic.survey-aggregates,
 *                                                  topic.ticket-events, topic.ticket-aggregates,
 *                                                  topic.touchpoints, topic.friction-aggregates,
 *                                                  topic.alerts, topic.dead-letter)
 * kafka.*                     kafka.bootstrap.servers=127.0.0.1:9092; any Streams or client setting
 * schema.registry.*           schema.registry.url=http://127.0.0.1:8081; Confluent client settings
 * </pre>
 */
public record MetricsStreamsConfig(String host, int port, String applicationId, String stateDir,
        String processingGuarantee, int streamThreads, SurveySettings survey, TicketSettings tickets,
        FrictionSettings friction, int topN, boolean createTopics,
        int topicPartitions, Map<String, String> topics, Map<String, Object> kafka, Map<String, Object> registry) {

    /** The defaults, the bottom layer. */
    public static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("http.host", "127.0.0.1");
        defaults.put("http.port", "8090");
        defaults.put("application.id", "cxpulse-metrics-streams");
        defaults.put("state.dir", ".cxpulse/state/metrics-streams");
        defaults.put("processing.guarantee", "exactly_once_v2");
        defaults.put("num.stream.threads", "1");
        defaults.put("survey.grace", "PT1H");
        defaults.put("survey.dedup.retention", "P7D");
        defaults.put("survey.dedup.ids.in.memory", String.valueOf(SeenEventIds.DEFAULT_MAX_LOCATED));
        defaults.put("survey.minute.retention", "P2D");
        defaults.put("survey.hour.retention", "P35D");
        defaults.put("survey.combine.interval", "PT0.1S");
        defaults.put("survey.emit.interval", "PT1S");
        defaults.put("ticket.grace", "PT1H");
        defaults.put("ticket.dedup.retention", "P7D");
        defaults.put("ticket.dedup.ids.in.memory", String.valueOf(SeenEventIds.DEFAULT_MAX_LOCATED));
        defaults.put("ticket.retention", "P35D");
        defaults.put("ticket.minute.retention", "P2D");
        defaults.put("ticket.hour.retention", "P35D");
        defaults.put("ticket.settle.interval", "PT1S");
        defaults.put("ticket.emit.interval", "PT1S");
        TicketSettings.defaultTargets().forEach((priority, target) ->
                defaults.put("ticket.target." + priority.name().toLowerCase(Locale.ROOT), target.toString()));
        defaults.put("friction.grace", "PT1H");
        defaults.put("friction.dedup.retention", "P7D");
        defaults.put("friction.dedup.ids.in.memory", String.valueOf(SeenEventIds.DEFAULT_MAX_LOCATED));
        defaults.put("friction.history", "P7D");
        defaults.put("friction.history.max.visits", "200");
        defaults.put("friction.customers.in.memory", "5000");
        defaults.put("friction.minute.retention", "P2D");
        defaults.put("friction.hour.retention", "P35D");
        defaults.put("friction.emit.interval", "PT1S");
        defaults.put("friction.sweep.interval", "PT10M");
        defaults.put("friction.alerts.z", "3");
        defaults.put("friction.alerts.resolve.z", "1");
        defaults.put("friction.alerts.min.events", "50");
        defaults.put("friction.lift.min.responses", "30");
        defaults.put("friction.lift.z", "1.96");
        defaults.put("alerts.z", "3");
        defaults.put("alerts.resolve.z", "1");
        defaults.put("alerts.min.responses", "30");
        defaults.put("metrics.top.n", "20");
        defaults.put("topics.create", "true");
        defaults.put("topics.partitions", "6");
        defaults.put("topic.survey-responses", Topics.SURVEY_RESPONSES);
        defaults.put("topic.survey-aggregates", Topics.SURVEY_AGGREGATES);
        defaults.put("topic.ticket-events", Topics.TICKET_EVENTS);
        defaults.put("topic.ticket-aggregates", Topics.TICKET_AGGREGATES);
        defaults.put("topic.touchpoints", Topics.TOUCHPOINTS);
        defaults.put("topic.friction-aggregates", Topics.FRICTION_AGGREGATES);
        defaults.put("topic.alerts", Topics.ALERTS);
        defaults.put("topic.dead-letter", Topics.DEAD_LETTERS);
        defaults.put("kafka.bootstrap.servers", "127.0.0.1:9092");
        defaults.put("schema.registry.url", "http://127.0.0.1:8081");
        return defaults;
    }

    /** Keys set in the configuration that no setting reads: most likely typos. */
    public static List<String> unknownKeys(LayeredConfig config) {
        Set<String> known = new HashSet<>(defaults().keySet());
        known.add("config.file");
        return config.unknownKeys(known, List.of("kafka.", "schema.registry."));
    }

    private static FrictionSettings friction(LayeredConfig config) {
        double z = config.nonNegativeNumber("friction.alerts.z");
        double resolveZ = config.nonNegativeNumber("friction.alerts.resolve.z");
        if (resolveZ > z) {
            throw new ConfigException("friction.alerts.resolve.z", resolveZ, "must not exceed friction.alerts.z (" + z
                    + ")");
        }
        try {
            return new FrictionSettings(config.duration("friction.grace"), config.duration("friction.dedup.retention"),
                    config.integer("friction.dedup.ids.in.memory", 0, 100_000_000),
                    config.positiveDuration("friction.history"),
                    config.integer("friction.history.max.visits", 1, 100_000), 50,
                    config.integer("friction.customers.in.memory", 1, 10_000_000),
                    config.duration("friction.minute.retention"), config.duration("friction.hour.retention"),
                    config.positiveDuration("friction.emit.interval"),
                    config.positiveDuration("friction.sweep.interval"),
                    new ShareAlertRule(z, resolveZ, config.integer("friction.alerts.min.events", 1, 1_000_000)),
                    config.integer("friction.lift.min.responses", 1, 1_000_000),
                    config.nonNegativeNumber("friction.lift.z"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("friction.*: " + e.getMessage());
        }
    }

    private static TicketSettings tickets(LayeredConfig config) {
        Map<TicketPriority, Duration> targets = new EnumMap<>(TicketPriority.class);
        for (TicketPriority priority : TicketSettings.defaultTargets().keySet()) {
            String key = "ticket.target." + priority.name().toLowerCase(Locale.ROOT);
            if (!config.string(key).equalsIgnoreCase("none")) {
                targets.put(priority, config.positiveDuration(key));
            }
        }
        try {
            return new TicketSettings(config.duration("ticket.grace"), config.duration("ticket.dedup.retention"),
                    config.integer("ticket.dedup.ids.in.memory", 0, 100_000_000),
                    config.duration("ticket.retention"), config.duration("ticket.minute.retention"),
                    config.duration("ticket.hour.retention"), config.positiveDuration("ticket.settle.interval"),
                    config.positiveDuration("ticket.emit.interval"), targets);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("ticket.*: " + e.getMessage());
        }
    }

    /** Parses and validates every setting; a bad value fails with a message naming its key. */
    public static MetricsStreamsConfig from(LayeredConfig config) {
        String guarantee = config.string("processing.guarantee");
        if (!guarantee.equals("exactly_once_v2") && !guarantee.equals("at_least_once")) {
            throw new ConfigException("processing.guarantee", guarantee, "must be exactly_once_v2 or at_least_once");
        }
        double z = config.nonNegativeNumber("alerts.z");
        double resolveZ = config.nonNegativeNumber("alerts.resolve.z");
        if (resolveZ > z) {
            throw new ConfigException("alerts.resolve.z", resolveZ, "must not exceed alerts.z (" + z + ")");
        }
        Duration emit = config.positiveDuration("survey.emit.interval");
        Duration combine = config.positiveDuration("survey.combine.interval");
        SurveySettings survey;
        try {
            survey = new SurveySettings(config.duration("survey.grace"), config.duration("survey.dedup.retention"),
                    config.integer("survey.dedup.ids.in.memory", 0, 100_000_000),
                    config.duration("survey.minute.retention"), config.duration("survey.hour.retention"), combine, emit,
                    new ShareAlertRule(z, resolveZ, config.integer("alerts.min.responses", 1, 1_000_000)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("survey.*: " + e.getMessage());
        }
        return new MetricsStreamsConfig(config.string("http.host"), config.integer("http.port", 0, 65_535),
                config.string("application.id"), config.string("state.dir"), guarantee,
                config.integer("num.stream.threads", 1, 64), survey, tickets(config), friction(config),
                config.integer("metrics.top.n", 1, 1_000),
                config.bool("topics.create"), config.integer("topics.partitions", 1, 10_000),
                Map.copyOf(config.withPrefix("topic.", true)), new HashMap<>(config.withPrefix("kafka.", true)),
                new HashMap<>(config.withPrefix("schema.registry.", false)));
    }
}
