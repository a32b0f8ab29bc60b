package io.cxpulse.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.cxpulse.schemas.registry.SchemaRegistryClient;
import io.cxpulse.schemas.serde.AvroDeserializer;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Compares what the pipeline holds with the {@link AuditLedger}, from outside: the input topics (every acknowledged
 * event on its topic, and more than once only when it was sent more than once), and the figures of the query API
 * and of the Prometheus gauges of each audit phase (exactly what the ledger computes).
 */
final class AuditCheck {
    static final List<String> TOPICS = List.of("cx.survey-responses.v1", "cx.ticket-events.v1", "cx.touchpoints.v1");
    /** DDSketch's relative accuracy in metrics-streams, with room for the rank's rounding. */
    private static final double SKETCH_ACCURACY = 0.02;

    private final AuditLedger ledger;
    private final String bootstrapServers;
    private final String registryUrl;

    AuditCheck(AuditLedger ledger, String bootstrapServers, String registryUrl) {
        this.ledger = ledger;
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
    }

    /** How many times each eventId is on the input topics. */
    Map<String, Integer> onTopics() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, Integer> counts = new HashMap<>();
        AvroDeserializer<GenericRecord> values = new AvroDeserializer<>(SchemaRegistryClient.forUrl(registryUrl));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : TOPICS) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30))
                        .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, Duration.ofSeconds(30)) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read the input topics to their end in 2 minutes");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    GenericRecord value = values.deserialize(record.topic(), record.value());
                    counts.merge(String.valueOf(value.get("eventId")), 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    /** What the topics say about a phase's events. */
    record TopicFindings(int acknowledged, int retried, int missing, int duplicatedUnretried) {
    }

    TopicFindings topics(String phase, Map<String, Integer> onTopics) {
        int acknowledged = 0;
        int retried = 0;
        int missing = 0;
        int duplicated = 0;
        for (AuditLedger.Entry entry : ledger.phase(phase)) {
            int copies = onTopics.getOrDefault(entry.eventId, 0);
            boolean sentOnce = entry.attempts.get() == 1;
            acknowledged += entry.acknowledged ? 1 : 0;
            retried += sentOnce ? 0 : 1;
            missing += entry.acknowledged && copies == 0 ? 1 : 0;
            duplicated += sentOnce && copies > 1 ? 1 : 0;
        }
        return new TopicFindings(acknowledged, retried, missing, duplicated);
    }

    /**
     * The figures of a phase: counted is how many of its events the figures account for (survey responses,
     * touchpoint events, and three events for each resolved ticket); lost and doubled sum what is short and what
     * is over in each count; every difference is described.
     */
    record Figures(long expected, long counted, long lost, long doubled, List<String> differences) {
        boolean exact() {
            return differences.isEmpty();
        }
    }

    /** Asks {@code streamsUrl} (any instance) for the phase's figures, and every instance for its gauges. */
    Figures figures(String phase, String streamsUrl, List<String> instanceUrls)
            throws IOException, InterruptedException {
        Tally tally = new Tally();
        AuditLedger.Nps nps = ledger.nps(phase);
        JsonNode answer = json(streamsUrl + "/v1/nps?window=24h&segment=" + AuditLedger.segment(phase));
        tally.compare("nps n", nps.n(), answer.path("n").asLong(-1), 1);
        tally.compare("promoters", nps.promoters(), answer.path("promoters").asLong(-1), 0);
        tally.compare("passives", nps.passives(), answer.path("passives").asLong(-1), 0);
        tally.compare("detractors", nps.detractors(), answer.path("detractors").asLong(-1), 0);

        AuditLedger.Tickets tickets = ledger.tickets(phase);
        JsonNode times = json(streamsUrl + "/v1/response-times?window=24h&queue=" + AuditLedger.queue(phase));
        tally.compare("tickets resolved", tickets.n(), times.path("n").asLong(-1), AuditLedger.EVENTS_PER_TICKET);
        tally.compare("first responses", tickets.firstResponseSeconds().size(),
                times.path("firstResponse").path("n").asLong(-1), 0);
        checkQuantile(tally, tickets.firstResponseSeconds(), 0.5, times.path("firstResponse").path("p50"));
        checkQuantile(tally, tickets.firstResponseSeconds(), 0.9, times.path("firstResponse").path("p90"));

        Map<String, AuditLedger.Touchpoint> touchpoints = ledger.touchpointFigures(phase);
        Map<String, JsonNode> items = itemsByTouchpoint(json(streamsUrl + "/v1/friction/top?window=24h&limit=100"));
        for (Map.Entry<String, AuditLedger.Touchpoint> expected : touchpoints.entrySet()) {
            JsonNode item = items.getOrDefault(expected.getKey(), TrafficModel.JSON.createObjectNode());
            tally.compare(expected.getKey() + " events", expected.getValue().events(),
                    item.path("events").asLong(-1), 1);
            for (String outcome : AuditLedger.OUTCOMES) {
                tally.compare(expected.getKey() + " " + outcome, expected.getValue().outcomes().getOrDefault(outcome,
                        0), item.path("outcomes").path(outcome).asLong(-1), 0);
            }
            for (String signal : AuditLedger.SIGNALS) {
                tally.compare(expected.getKey() + " " + signal, expected.getValue().signals().getOrDefault(signal,
                        0), item.path("signals").path(signal).asLong(0), 0);
            }
        }

        // the gauges: each instance exports the keys it owns, so the sum over instances is the figure
        List<String> scrapes = new ArrayList<>();
        for (String url : instanceUrls) {
            scrapes.add(Http.get(url + "/metrics"));
        }
        tally.compare("cx_nps_responses", nps.n(), Math.round(sum(scrapes, "cx_nps_responses",
                Map.of("window", "24h", "segment", AuditLedger.segment(phase), "channel", "all"))), 0);
        for (Map.Entry<String, AuditLedger.Touchpoint> expected : touchpoints.entrySet()) {
            String[] key = expected.getKey().split("\\|");
            double rate = sum(scrapes, "cx_friction_rate", Map.of("window", "24h", "touchpoint", key[0],
                    "channel", key[1]));
            if (Math.abs(rate - expected.getValue().frictionRate()) > 1e-9) {
                tally.differences.add("cx_friction_rate of " + expected.getKey() + ": expected "
                        + expected.getValue().frictionRate() + ", the instances export " + rate);
            }
        }
        return new Figures(tally.expected, tally.counted, tally.lost, tally.doubled, tally.differences);
    }

    /** The items of a {@code /v1/friction/top} answer by the ledger's touchpoint key, {@code touchpoint|channel}. */
    static Map<String, JsonNode> itemsByTouchpoint(JsonNode answer) {
        Map<String, JsonNode> items = new TreeMap<>();
        for (JsonNode item : answer.path("items")) {
            items.put(item.path("touchpoint").asText() + "|" + item.path("channel").asText(), item);
        }
        return items;
    }

    /** Sums, over the scrapes, the samples of {@code name} whose labels include {@code labels}. */
    static double sum(List<String> scrapes, String name, Map<String, String> labels) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)} (\\S+)$", Pattern.MULTILINE);
        double sum = 0;
        for (String scrape : scrapes) {
            Matcher matcher = line.matcher(scrape);
            while (matcher.find()) {
                Map<String, String> found = new HashMap<>();
                for (String pair : matcher.group(1).split(",")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        found.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
                    }
                }
                if (found.entrySet().containsAll(labels.entrySet())) {
                    sum += Double.parseDouble(matcher.group(2));
                }
            }
        }
        return sum;
    }

    /**
     * A quantile of the sketch must lie between the exact order statistics around its rank, give or take the
     * sketch's relative accuracy.
     */
    private static void checkQuantile(Tally tally, List<Double> sorted, double q, JsonNode answered) {
        if (sorted.isEmpty()) {
            return;
        }
        double rank = q * (sorted.size() - 1);
        double low = sorted.get((int) Math.floor(rank)) * (1 - SKETCH_ACCURACY);
        double high = sorted.get((int) Math.ceil(rank)) * (1 + SKETCH_ACCURACY);
        double value = answered.asDouble(Double.NaN);
        if (!(value >= low && value <= high)) {
            tally.differences.add("first response p" + Math.round(q * 100) + ": expected between " + low + " and "
                    + high + " s, answered " + answered);
        }
    }

    private static JsonNode json(String url) throws IOException, InterruptedException {
        return TrafficModel.JSON.readTree(Http.get(url));
    }

    /** Running totals of a comparison. */
    private static final class Tally {
        final List<String> differences = new ArrayList<>();
        long expected;
        long counted;
        long lost;
        long doubled;

        /**
         * Compares one count; {@code weight} is how many of the phase's events each thing counted stands for (a
         * resolved ticket for its {@link AuditLedger#EVENTS_PER_TICKET}), or 0 when it does not count events.
         */
        void compare(String what, long expect, long answered, int weight) {
            boolean events = weight > 0;
            if (events) {
                expected += weight * expect;
                counted += weight * Math.max(answered, 0);
            }
            if (answered != expect) {
                differences.add(what + ": expected " + expect + ", answered " + answered);
                if (events) {
                    lost += weight * Math.max(0, expect - Math.max(answered, 0));
                    doubled += weight * Math.max(0, answered - expect);
                }
            }
        }
    }
}
