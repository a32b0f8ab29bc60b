package io.cxpulse.streams.it;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Survey responses as JSON for ingest, and their figures computed here, independently of metrics-streams: by
 * counting the distinct eventIds sent.
 */
final class Responses {
    static final String[] SEGMENTS = {"smb", "enterprise"};
    static final String[] CHANNELS = {"WEB", "PHONE"};

    private Responses() {
    }

    /** {@code n} NPS responses at random times in the 30 minutes before {@code now}, in random order. */
    static List<Map<String, Object>> nps(int n, Instant now, long seed) {
        Random random = new Random(seed);
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("eventId", UUID.randomUUID().toString());
            event.put("occurredAt", now.minusSeconds(random.nextInt(30 * 60)).truncatedTo(ChronoUnit.MILLIS)
                    .toString());
            event.put("customerId", "cust-" + random.nextInt(50));
            event.put("segment", SEGMENTS[random.nextInt(SEGMENTS.length)]);
            event.put("channel", CHANNELS[random.nextInt(CHANNELS.length)]);
            event.put("surveyId", "relationship-nps");
            event.put("metric", "NPS");
            event.put("score", random.nextInt(11));
            events.add(event);
        }
        return events;
    }

    /** The same events again: what a client's retry sends. */
    static List<Map<String, Object>> retries(List<Map<String, Object>> events, int every) {
        List<Map<String, Object>> retries = new ArrayList<>();
        for (int i = 0; i < events.size(); i += every) {
            retries.add(events.get(i));
        }
        return retries;
    }

    /** n and NPS over the distinct events that match {@code filter}. */
    record Expected(long n, long promoters, long passives, long detractors, double nps) {
        static Expected of(List<Map<String, Object>> events, Predicate<Map<String, Object>> filter) {
            Map<Object, Map<String, Object>> distinct = new LinkedHashMap<>();
            events.stream().filter(filter).forEach(event -> distinct.put(event.get("eventId"), event));
            long promoters = distinct.values().stream().filter(e -> (int) e.get("score") >= 9).count();
            long detractors = distinct.values().stream().filter(e -> (int) e.get("score") <= 6).count();
            long n = distinct.size();
            return new Expected(n, promoters, n - promoters - detractors, detractors,
                    100.0 * (promoters - detractors) / n);
        }
    }
}
