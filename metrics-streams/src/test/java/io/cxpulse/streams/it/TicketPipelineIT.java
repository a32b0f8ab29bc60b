package io.cxpulse.streams.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import io.cxpulse.avro.DeadLetter;
import io.cxpulse.avro.DeadLetterReason;
import io.cxpulse.avro.TicketAggregate;
import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.platform.junit.LocalPlatformExtension;
import io.cxpulse.platform.junit.TopicReader;
import io.cxpulse.schemas.registry.SchemaRegistryClient;
import io.cxpulse.schemas.serde.AvroDeserializer;
import io.cxpulse.streams.MetricsStreamsApp;

import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Ticket events sent through ingest reach metrics-streams through Kafka; the response times it answers agree with
 * the durations computed here from the events sent, within the sketches' stated 1 %.
 */
@ExtendWith(LocalPlatformExtension.class)
class TicketPipelineIT {
    private static final String[] CHANNELS = {"EMAIL", "CHAT"};
    private static final String[] PRIORITIES = {"NORMAL", "HIGH"};
    private static final int TICKETS = 60;
    /** Tickets that only move stream time on, one per partition or more: LOW, channel OTHER, opened now. */
    private static final int CLOCKS = 12;

    /** One generated ticket: its attributes and its durations in seconds, computed as the events are made. */
    record Ticket(String channel, String priority, String queue, long firstResponse, long firstResolution,
            long fullResolution, boolean reopened, boolean oneTouch) {
    }

    @Test
    void shouldAnswerResponseTimesThatAgreeWithTheEventsSent(LocalPlatform platform) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Random random = new Random(5);
        List<Ticket> tickets = new ArrayList<>();
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < TICKETS; i++) {
            tickets.add(ticket("t-" + i, now.minus(Duration.ofHours(20)).plusSeconds(random.nextInt(8 * 3600)),
                    random, events));
        }
        // an impossible sequence: a reply timestamped before its ticket was opened
        Map<String, Object> early = event("bad-1", "AGENT_REPLIED", now.minus(Duration.ofHours(3)), "CHAT", "NORMAL",
                null);
        events.add(event("bad-1", "OPENED", now.minus(Duration.ofHours(3)).plusSeconds(60), "CHAT", "NORMAL", null));
        events.add(early);
        for (int i = 0; i < CLOCKS; i++) {
            events.add(event("clock-" + i, "OPENED", now, "OTHER", "LOW", null));
        }
        // a helpdesk's export: 12 to 20 hours late, in any order (corrections take back figures an earlier event
        // changes)
        Collections.shuffle(events, random);

        try (Pipeline pipeline = new Pipeline(platform)) {
            MetricsStreamsApp app = pipeline.startStreams("a");
            pipeline.send("ticket-events", events);

            Map<String, Predicate<Ticket>> slices = Map.of(
                    "", t -> true,
                    "&channel=EMAIL", t -> t.channel().equals("EMAIL"),
                    "&priority=HIGH", t -> t.priority().equals("HIGH"),
                    "&channel=CHAT&queue=billing", t -> t.channel().equals("CHAT") && "billing".equals(t.queue()));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                for (Map.Entry<String, Predicate<Ticket>> slice : slices.entrySet()) {
                    List<Ticket> expected = tickets.stream().filter(slice.getValue()).toList();
                    JsonNode answer = pipeline.get(app, "/v1/response-times?window=24h&at=" + now + slice.getKey());
                    assertAgrees(answer, expected, slice.getKey());
                }
            });

            // every cell's 24h aggregate on the ticket aggregates topic counts its tickets, with its reopened ones
            Map<String, List<Ticket>> cells = tickets.stream().collect(Collectors.groupingBy(ticket -> ticket.channel()
                    + "|" + ticket.priority() + "|" + (ticket.queue() == null ? "" : "=" + ticket.queue()) + "|24h"));
            AvroDeserializer<TicketAggregate> aggregates = new AvroDeserializer<>(
                    SchemaRegistryClient.forUrl(platform.schemaRegistryUrl()), TicketAggregate.class);
            Map<String, TicketAggregate> latest = new HashMap<>();
            TopicReader.read(platform.bootstrapServers(), pipeline.topic("ticket-aggregates"), new StringDeserializer(),
                    aggregates, records -> {
                        records.forEach(record -> latest.put(record.key(), record.value()));
                        return cells.keySet().stream().allMatch(cell -> latest.containsKey(cell)
                                && latest.get(cell).getResolved() == cells.get(cell).size());
                    });
            cells.forEach((cell, inCell) -> {
                assertThat(latest.get(cell)).as(cell).isNotNull();
                assertThat(latest.get(cell).getResolved()).as(cell).isEqualTo(inCell.size());
                assertThat(latest.get(cell).getReopened()).as(cell)
                        .isEqualTo(inCell.stream().filter(Ticket::reopened).count());
                assertThat(latest.get(cell).getFirstResponse().getN()).as(cell).isEqualTo(inCell.size());
            });

            AvroDeserializer<DeadLetter> letters = new AvroDeserializer<>(
                    SchemaRegistryClient.forUrl(platform.schemaRegistryUrl()), DeadLetter.class);
            List<DeadLetter> dead = TopicReader.values(platform.bootstrapServers(), pipeline.topic("dead-letter"),
                    letters, 1);
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).getReason()).isEqualTo(DeadLetterReason.IMPOSSIBLE_SEQUENCE);
            assertThat(dead.get(0).getOriginalTopic()).isEqualTo(pipeline.topic("ticket-events"));
            assertThat(dead.get(0).getOriginalOffset()).isNotNegative();
            assertThat(dead.get(0).getKey()).isEqualTo(ByteBuffer.wrap("bad-1".getBytes()));
            assertThat(dead.get(0).getCause()).contains("before ticket bad-1 was OPENED");

            String metrics = pipeline.metrics(app);
            // each figure observed when reported, once more for each correction: less the corrections, one each
            assertThat(sum(metrics, "cx_ticket_first_response_seconds_count", "") - sum(metrics,
                    "cx_ticket_figures_retracted_total", "duration=\"first_response\"")).isEqualTo(TICKETS);
            assertThat(sum(metrics, "cx_ticket_resolution_seconds_count", "resolution=\"first\"") - sum(metrics,
                    "cx_ticket_figures_retracted_total", "duration=\"first_resolution\"")).isEqualTo(TICKETS);
            assertThat(sum(metrics, "cx_ticket_resolution_seconds_count", "resolution=\"full\"") - sum(metrics,
                    "cx_ticket_figures_retracted_total", "duration=\"full_resolution\"")).isEqualTo(TICKETS);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(sum(pipeline.metrics(app),
                    "cx_tickets_awaiting_first_response", "priority=\"LOW\"")).isEqualTo(CLOCKS));
        }
    }

    private static void assertAgrees(JsonNode answer, List<Ticket> expected, String slice) {
        assertThat(answer.path("status").asInt()).as(slice).isEqualTo(200);
        JsonNode body = answer.path("body");
        assertThat(body.path("n").asLong()).as("n" + slice).isEqualTo(expected.size());
        assertQuantiles(body.path("firstResponse"), expected.stream().map(Ticket::firstResponse).toList(), slice);
        assertQuantiles(body.path("firstResolution"), expected.stream().map(Ticket::firstResolution).toList(), slice);
        assertQuantiles(body.path("fullResolution"), expected.stream().map(Ticket::fullResolution).toList(), slice);
        double reopenRate = (double) expected.stream().filter(Ticket::reopened).count() / expected.size();
        double oneTouchRate = (double) expected.stream().filter(Ticket::oneTouch).count() / expected.size();
        assertThat(body.path("reopenRate").asDouble()).as("reopenRate" + slice).isCloseTo(reopenRate, within(1e-9));
        assertThat(body.path("oneTouchRate").asDouble()).as("oneTouch" + slice).isCloseTo(oneTouchRate,
                within(1e-9));
    }

    /** Each quantile within 1 % of the exact value of rank floor(q (n - 1)). */
    private static void assertQuantiles(JsonNode figures, List<Long> seconds, String slice) {
        List<Long> sorted = seconds.stream().sorted().toList();
        assertThat(figures.path("n").asLong()).as(slice).isEqualTo(sorted.size());
        for (String name : List.of("p50", "p90", "p99")) {
            double q = Integer.parseInt(name.substring(1)) / 100.0;
            double exact = sorted.get((int) Math.floor(q * (sorted.size() - 1)));
            assertThat(figures.path(name).asDouble()).as(name + slice).isCloseTo(exact, within(exact * 0.01 + 1e-9));
        }
    }

    /**
     * A ticket opened at {@code opened}: a first reply 1 minute to 3 hours later, maybe a second, a resolution,
     * and for some a reopening and a second resolution, all at least two hours before now.
     */
    private static Ticket ticket(String id, Instant opened, Random random, List<Map<String, Object>> events) {
        String channel = CHANNELS[random.nextInt(CHANNELS.length)];
        String priority = PRIORITIES[random.nextInt(PRIORITIES.length)];
        String queue = random.nextBoolean() ? "billing" : null;
        long reply = 60 + random.nextInt(3 * 3600);
        boolean secondReply = random.nextInt(3) == 0;
        long resolved = reply + 60 + random.nextInt(3 * 3600);
        boolean reopened = random.nextInt(4) == 0;
        long reopenedAt = resolved + 600 + random.nextInt(3600);
        long resolvedAgain = reopenedAt + 60 + random.nextInt(3600);
        events.add(event(id, "OPENED", opened, channel, priority, queue));
        events.add(event(id, "AGENT_REPLIED", opened.plusSeconds(reply), channel, priority, queue));
        if (secondReply) {
            events.add(event(id, "AGENT_REPLIED", opened.plusSeconds(reply + 30), channel, priority, queue));
        }
        events.add(event(id, "RESOLVED", opened.plusSeconds(resolved), channel, priority, queue));
        if (reopened) {
            events.add(event(id, "REOPENED", opened.plusSeconds(reopenedAt), channel, priority, queue));
            events.add(event(id, "RESOLVED", opened.plusSeconds(resolvedAgain), channel, priority, queue));
        }
        return new Ticket(channel, priority, queue, reply, resolved, reopened ? resolvedAgain : resolved, reopened,
                !reopened && !secondReply);
    }

    private static Map<String, Object> event(String ticketId, String type, Instant at, String channel,
            String priority, String queue) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", UUID.randomUUID().toString());
        event.put("occurredAt", at.toString());
        event.put("customerId", "cust-" + ticketId);
        event.put("channel", channel);
        event.put("ticketId", ticketId);
        event.put("type", type);
        event.put("priority", priority);
        if (queue != null) {
            event.put("queue", queue);
        }
        return event;
    }

    /** The sum of the samples of {@code name} whose labels contain {@code label}. */
    private static double sum(String metrics, String name, String label) {
        double sum = 0;
        Matcher matcher = Pattern.compile("(?m)^" + name + "\\{([^}]*)} (\\S+)$").matcher(metrics);
        while (matcher.find()) {
            if (matcher.group(1).contains(label)) {
                sum += Double.parseDouble(matcher.group(2));
            }
        }
        return sum;
    }
}
