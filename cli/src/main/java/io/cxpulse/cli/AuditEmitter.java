package io.cxpulse.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * Sends an audit phase's events to ingest as a real emitter would: in batches, at a steady rate, and retrying a
 * batch that got a 503, a 429, a timeout or no answer, with the same eventIds, after the Retry-After it was given,
 * until ingest acknowledges it. Everything it learns goes into the {@link AuditLedger}.
 */
final class AuditEmitter {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DEFAULT_RETRY = Duration.ofSeconds(1);

    private final String ingestUrl;
    private final String token;
    private final AuditLedger ledger;
    private final int batchSize;
    private final double eventsPerSecond;
    private final AtomicBoolean running = new AtomicBoolean();
    private final List<Thread> senders = new ArrayList<>();
    private final AtomicLong unavailableWithoutRetryAfter = new AtomicLong();
    private final AtomicLong lastAcknowledged = new AtomicLong(System.nanoTime());
    private final AtomicLong longestGapNanos = new AtomicLong();
    private final List<String> rejections = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile String phase;

    AuditEmitter(String ingestUrl, String token, AuditLedger ledger, int batchSize, double eventsPerSecond) {
        this.ingestUrl = ingestUrl;
        this.token = token;
        this.ledger = ledger;
        this.batchSize = batchSize;
        this.eventsPerSecond = eventsPerSecond;
    }

    /** Starts {@code threads} senders of {@code phase}'s events. */
    synchronized void start(String phase, int threads) {
        this.phase = phase;
        running.set(true);
        lastAcknowledged.set(System.nanoTime());
        longestGapNanos.set(0);
        unavailableWithoutRetryAfter.set(0);
        rejections.clear();
        for (int i = 0; i < threads; i++) {
            Thread sender = new Thread(() -> send(threads), "audit-sender-" + i);
            sender.setDaemon(true);
            sender.start();
            senders.add(sender);
        }
    }

    /**
     * Stops making new events and waits until every batch already made is acknowledged.
     *
     * @return whether that happened within {@code timeout}
     */
    synchronized boolean stopAndDrain(Duration timeout) throws InterruptedException {
        running.set(false);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread sender : senders) {
            sender.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        boolean drained = senders.stream().noneMatch(Thread::isAlive);
        senders.forEach(Thread::interrupt);
        senders.clear();
        return drained;
    }

    /** The phase's 503s and 429s that came without Retry-After: an emitter would not know when to come back. */
    long unavailableWithoutRetryAfter() {
        return unavailableWithoutRetryAfter.get();
    }

    /** The longest time in the phase during which no batch was acknowledged. */
    Duration longestGap() {
        long now = System.nanoTime() - lastAcknowledged.get();
        return Duration.ofNanos(Math.max(longestGapNanos.get(), running.get() ? now : 0));
    }

    /** The phase's events ingest rejected (4xx): a fault in the audit's own events, reported, not retried. */
    List<String> rejections() {
        synchronized (rejections) {
            return List.copyOf(rejections);
        }
    }

    /**
     * Makes scenarios and sends their events in batches per endpoint and lane at the thread's share of the rate;
     * each event goes to one of two lanes at random, so that a ticket's events travel in different batches and may
     * overtake each other. What is left when the phase stops is sent before the thread ends.
     */
    private void send(int threads) {
        java.util.Random lanes = new java.util.Random(Thread.currentThread().getName().hashCode());
        Map<String, List<AuditLedger.Entry>> pending = new HashMap<>();
        long nanosPerEvent = (long) (1e9 * threads / eventsPerSecond);
        long next = System.nanoTime();
        try {
            while (running.get()) {
                for (AuditLedger.Entry entry : ledger.next(phase, Instant.now())) {
                    pending.computeIfAbsent(entry.path + "#" + lanes.nextInt(2), k -> new ArrayList<>()).add(entry);
                }
                for (Map.Entry<String, List<AuditLedger.Entry>> lane : pending.entrySet()) {
                    if (lane.getValue().size() >= batchSize) {
                        sendUntilAcknowledged(lane.getValue().get(0).path, lane.getValue());
                        next += nanosPerEvent * lane.getValue().size();
                        lane.setValue(new ArrayList<>());
                    }
                }
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                } else if (sleep < -1_000_000_000L) {
                    next = System.nanoTime();
                }
            }
            for (List<AuditLedger.Entry> rest : pending.values()) {
                if (!rest.isEmpty()) {
                    sendUntilAcknowledged(rest.get(0).path, rest);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sendUntilAcknowledged(String path, List<AuditLedger.Entry> batch) throws InterruptedException {
        ArrayNode body = TrafficModel.JSON.createArrayNode();
        batch.forEach(entry -> body.add(entry.json));
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        while (true) {
            batch.forEach(entry -> entry.attempts.incrementAndGet());
            HttpResponse<String> response = post(path, bytes);
            int status = response == null ? -1 : response.statusCode();
            if (status == 202 || status == 207 || status == 422) {
                settle(batch, status, response);
                return;
            }
            if (status >= 400 && status < 500 && status != 429 && status != 408) {
                rejections.add(path + " " + status + ": " + response.body());
                return;
            }
            Duration retryAfter = DEFAULT_RETRY;
            if (status == 503 || status == 429) {
                var header = response.headers().firstValue("Retry-After");
                if (header.isEmpty()) {
                    unavailableWithoutRetryAfter.incrementAndGet();
                } else {
                    retryAfter = Duration.ofSeconds(Long.parseLong(header.get().trim()));
                }
            }
            Thread.sleep(retryAfter.toMillis());
        }
    }

    private void settle(List<AuditLedger.Entry> batch, int status, HttpResponse<String> response) {
        if (status == 202) {
            batch.forEach(entry -> entry.acknowledged = true);
        } else {
            JsonNode results = Http.json(response.body()).path("results");
            for (JsonNode result : results) {
                AuditLedger.Entry entry = batch.get(result.path("index").asInt());
                if ("accepted".equals(result.path("status").asText())) {
                    entry.acknowledged = true;
                } else {
                    rejections.add(entry.eventId + ": " + result.path("errors"));
                }
            }
        }
        long now = System.nanoTime();
        long previous = lastAcknowledged.getAndSet(now);
        longestGapNanos.accumulateAndGet(now - previous, Math::max);
    }

    private HttpResponse<String> post(String path, byte[] body) throws InterruptedException {
        try {
            return Http.CLIENT.send(HttpRequest.newBuilder(URI.create(ingestUrl + "/v1/" + path))
                    .timeout(REQUEST_TIMEOUT).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        }
    }
}
