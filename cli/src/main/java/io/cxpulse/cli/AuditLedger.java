package io.cxpulse.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every event an audit sends, what ingest answered, and the figures those events must produce: the record a real
 * emitter would keep, against which the pipeline's answers are compared from outside.
 *
 * <p>Each phase of an audit has its own segment ({@code audit-<phase>}), ticket queue and touchpoints, so that its
 * figures can be told apart from every other phase's. Events arrive late (up to two hours), out of order and in
 * batches; a ticket's three events are sent independently and may overtake each other.
 */
final class AuditLedger {
    static final String[] CHANNELS = {"WEB", "MOBILE_APP"};
    static final String[] OUTCOMES = {"COMPLETED", "FAILED", "ABANDONED"};
    static final String[] SIGNALS = {"ERROR", "REPEATED_INPUT", "LONG_WAIT"};
    /** The events of each ticket: OPENED, AGENT_REPLIED and RESOLVED. */
    static final int EVENTS_PER_TICKET = 3;
    private static final String[] STEPS = {"checkout", "payment"};
    private static final Duration HISTORY = Duration.ofMinutes(110);

    /** One event, the endpoint it goes to, and how its sending went. */
    static final class Entry {
        final String eventId;
        final String path;
        final ObjectNode json;
        final String phase;
        final AtomicInteger attempts = new AtomicInteger();
        volatile boolean acknowledged;

        Entry(String path, ObjectNode json, String phase) {
            this.eventId = json.get("eventId").asText();
            this.path = path;
            this.json = json;
            this.phase = phase;
        }
    }

    private final Random random;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, List<Entry>> byPhase = new ConcurrentHashMap<>();

    AuditLedger(long seed) {
        this.random = new Random(seed);
    }

    static String segment(String phase) {
        return "audit-" + phase;
    }

    static String queue(String phase) {
        return "audit-" + phase;
    }

    static String touchpoint(String phase, String step) {
        return "audit." + phase + "." + step;
    }

    /** Every touchpoint name a phase uses. */
    static List<String> touchpoints(String phase) {
        return List.of(touchpoint(phase, STEPS[0]), touchpoint(phase, STEPS[1]));
    }

    /**
     * The next scenario of {@code phase} at {@code now}: a survey response, a touchpoint, or a ticket's three
     * events, recorded in the ledger before they are sent.
     */
    synchronized List<Entry> next(String phase, Instant now) {
        double pick = random.nextDouble();
        List<Entry> scenario = new ArrayList<>();
        if (pick < 0.45) {
            scenario.add(survey(phase, now));
        } else if (pick < 0.85) {
            scenario.add(touchpointEvent(phase, now));
        } else {
            scenario.addAll(ticket(phase, now));
        }
        for (Entry entry : scenario) {
            entries.put(entry.eventId, entry);
            byPhase.computeIfAbsent(phase, p -> java.util.Collections.synchronizedList(new ArrayList<>())).add(entry);
        }
        return scenario;
    }

    Entry entry(String eventId) {
        return entries.get(eventId);
    }

    Collection<Entry> all() {
        return entries.values();
    }

    List<Entry> phase(String phase) {
        List<Entry> list = byPhase.getOrDefault(phase, List.of());
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    /** NPS counts of one segment: what {@code /v1/nps?segment=} must answer. */
    record Nps(int n, int promoters, int passives, int detractors) {
    }

    /** Ticket figures of one queue: tickets resolved, and their first-response times in seconds, sorted. */
    record Tickets(int n, List<Double> firstResponseSeconds) {
    }

    /** One touchpoint and channel: its events by outcome and its signals. */
    record Touchpoint(int events, Map<String, Integer> outcomes, Map<String, Integer> signals, int friction) {
        double frictionRate() {
            return events == 0 ? 0 : friction / (double) events;
        }
    }

    Nps nps(String phase) {
        int promoters = 0;
        int passives = 0;
        int detractors = 0;
        for (Entry entry : phase(phase)) {
            if (entry.path.equals("survey-responses")) {
                int score = entry.json.get("score").asInt();
                if (score >= 9) {
                    promoters++;
                } else if (score >= 7) {
                    passives++;
                } else {
                    detractors++;
                }
            }
        }
        return new Nps(promoters + passives + detractors, promoters, passives, detractors);
    }

    Tickets tickets(String phase) {
        Map<String, Instant> opened = new TreeMap<>();
        Map<String, Instant> replied = new TreeMap<>();
        int resolved = 0;
        for (Entry entry : phase(phase)) {
            if (entry.path.equals("ticket-events")) {
                String ticket = entry.json.get("ticketId").asText();
                Instant at = Instant.parse(entry.json.get("occurredAt").asText());
                switch (entry.json.get("type").asText()) {
                    case "OPENED" -> opened.put(ticket, at);
                    case "AGENT_REPLIED" -> replied.put(ticket, at);
                    default -> resolved++;
                }
            }
        }
        List<Double> firstResponse = new ArrayList<>();
        replied.forEach((ticket, at) -> firstResponse.add(Duration.between(opened.get(ticket), at).toMillis()
                / 1000.0));
        firstResponse.sort(Double::compare);
        return new Tickets(resolved, firstResponse);
    }

    /** By {@code touchpoint|channel}. */
    Map<String, Touchpoint> touchpointFigures(String phase) {
        Map<String, int[]> counts = new TreeMap<>();
        Map<String, Map<String, Integer>> outcomes = new TreeMap<>();
        Map<String, Map<String, Integer>> signals = new TreeMap<>();
        for (Entry entry : phase(phase)) {
            if (entry.path.equals("touchpoints")) {
                String key = entry.json.get("touchpoint").asText() + "|" + entry.json.get("channel").asText();
                int[] count = counts.computeIfAbsent(key, k -> new int[2]);
                count[0]++;
                String outcome = entry.json.get("outcome").asText();
                outcomes.computeIfAbsent(key, k -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
                boolean friction = !outcome.equals("COMPLETED");
                for (var signal : entry.json.withArray("frictionSignals")) {
                    signals.computeIfAbsent(key, k -> new TreeMap<>()).merge(signal.asText(), 1, Integer::sum);
                    friction = true;
                }
                count[1] += friction ? 1 : 0;
            }
        }
        Map<String, Touchpoint> figures = new TreeMap<>();
        counts.forEach((key, count) -> figures.put(key, new Touchpoint(count[0],
                outcomes.getOrDefault(key, Map.of()), signals.getOrDefault(key, Map.of()), count[1])));
        return figures;
    }

    private Entry survey(String phase, Instant now) {
        ObjectNode event = base(now.minusMillis((long) (random.nextDouble() * HISTORY.toMillis())));
        event.put("surveyId", "audit-nps");
        event.put("metric", "NPS");
        event.put("score", random.nextInt(11));
        event.put("segment", segment(phase));
        event.put("channel", CHANNELS[random.nextInt(CHANNELS.length)]);
        return new Entry("survey-responses", event, phase);
    }

    private Entry touchpointEvent(String phase, Instant now) {
        ObjectNode event = base(now.minusMillis((long) (random.nextDouble() * HISTORY.toMillis())));
        event.put("channel", CHANNELS[random.nextInt(CHANNELS.length)]);
        event.put("touchpoint", touchpoint(phase, STEPS[random.nextInt(STEPS.length)]));
        double roll = random.nextDouble();
        event.put("outcome", roll < 0.8 ? OUTCOMES[0] : roll < 0.9 ? OUTCOMES[1] : OUTCOMES[2]);
        if (random.nextDouble() < 0.25) {
            event.putArray("frictionSignals").add(SIGNALS[random.nextInt(SIGNALS.length)]);
        }
        return new Entry("touchpoints", event, phase);
    }

    /** OPENED, AGENT_REPLIED and RESOLVED, all in the past: one ticket resolved with a known first response. */
    private List<Entry> ticket(String phase, Instant now) {
        Instant opened = now.minus(Duration.ofMinutes(30)).minusMillis((long) (random.nextDouble()
                * HISTORY.minusMinutes(30).toMillis()));
        Instant replied = opened.plusSeconds(30 + random.nextInt(20 * 60));
        Instant resolved = replied.plusSeconds(60 + random.nextInt(8 * 60));
        String ticketId = "audit-" + UUID.randomUUID();
        String channel = CHANNELS[random.nextInt(CHANNELS.length)];
        List<Entry> events = new ArrayList<>();
        String customer = customer();
        for (Object[] step : new Object[][] {{"OPENED", opened}, {"AGENT_REPLIED", replied},
            {"RESOLVED", resolved}}) {
            ObjectNode event = base((Instant) step[1]);
            event.put("customerId", customer);
            event.put("channel", channel);
            event.put("ticketId", ticketId);
            event.put("type", (String) step[0]);
            event.put("priority", "NORMAL");
            event.put("queue", queue(phase));
            if (!step[0].equals("OPENED")) {
                event.put("agentId", "agent-1");
            }
            events.add(new Entry("ticket-events", event, phase));
        }
        return events;
    }

    private ObjectNode base(Instant at) {
        ObjectNode event = TrafficModel.JSON.createObjectNode();
        event.put("eventId", new UUID(random.nextLong(), random.nextLong()).toString());
        event.put("occurredAt", at.truncatedTo(ChronoUnit.MILLIS).toString());
        event.put("customerId", customer());
        return event;
    }

    private String customer() {
        return "audit-customer-" + random.nextInt(5_000);
    }
}
