package io.cxpulse.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Sends realistic traffic through the ingest HTTP API at a steady rate, with a progress line each second. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Send realistic CX traffic (journeys with friction, surveys, ticket lifecycles) to ingest.")
final class SimulateCommand implements Callable<Integer> {
    private static final int MAX_BATCH = 200;

    @Option(names = "--rate", defaultValue = "100", description = "Events per second (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long to run, e.g. 90s, 5m (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Mixin
    IngestTarget target;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed, for repeatable traffic.")
    long seed;

    @Option(names = "--drift-period", defaultValue = "10m", converter = DurationConverter.class,
            description = "Period of the detractor-share drift (default: ${DEFAULT-VALUE}).")
    Duration driftPeriod;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();

    @Override
    public Integer call() throws Exception {
        if (rate <= 0 || duration.isNegative() || duration.isZero()) {
            System.err.println("--rate and --duration must be positive");
            return 2;
        }
        if (!target.ready()) {
            return 1;
        }
        Instant start = Instant.now();
        TrafficModel model = new TrafficModel(seed, start, driftPeriod);
        ExecutorService senders = Executors.newFixedThreadPool(4);
        Semaphore inFlight = new Semaphore(16);
        Map<String, List<TrafficModel.Event>> pending = new LinkedHashMap<>();
        // events whose time has not come yet (a ticket's later steps), released as it does
        PriorityQueue<Scheduled> scheduled = new PriorityQueue<>(Comparator.comparing(Scheduled::at));
        long startNanos = System.nanoTime();
        long generated = 0;
        long nextProgress = 1;
        while (System.nanoTime() - startNanos < duration.toNanos()) {
            double elapsed = (System.nanoTime() - startNanos) / 1e9;
            long due = (long) (elapsed * rate);
            while (generated < due) {
                Instant now = Instant.now();
                for (TrafficModel.Event event : model.next(now)) {
                    Instant at = Instant.parse(event.json().path("occurredAt").asText());
                    if (at.isAfter(now)) {
                        scheduled.add(new Scheduled(at, event));
                    } else {
                        pending.computeIfAbsent(event.path(), p -> new ArrayList<>()).add(event);
                    }
                    generated++;
                }
            }
            Instant now = Instant.now();
            while (!scheduled.isEmpty() && !scheduled.peek().at().isAfter(now)) {
                TrafficModel.Event event = scheduled.poll().event();
                pending.computeIfAbsent(event.path(), p -> new ArrayList<>()).add(event);
            }
            for (Map.Entry<String, List<TrafficModel.Event>> entry : pending.entrySet()) {
                List<TrafficModel.Event> events = entry.getValue();
                while (!events.isEmpty()) {
                    List<TrafficModel.Event> batch = new ArrayList<>(events.subList(0, Math.min(MAX_BATCH,
                            events.size())));
                    events.subList(0, batch.size()).clear();
                    inFlight.acquire();
                    senders.execute(() -> {
                        try {
                            send(entry.getKey(), batch);
                        } finally {
                            inFlight.release();
                        }
                    });
                }
            }
            if (elapsed >= nextProgress) {
                progress(elapsed);
                nextProgress++;
            }
            Thread.sleep(50);
        }
        senders.shutdown();
        senders.awaitTermination(60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        System.out.println();
        System.out.printf("Sent %d events in %d requests over %.1f s: %d accepted, %d rejected, %d not stored "
                + "(request failed); %.0f events/s achieved (target %d).%n", sent.get(), requests.get(), seconds,
                accepted.get(), rejected.get(), failed.get(), sent.get() / seconds, rate);
        if (!scheduled.isEmpty()) {
            System.out.printf("%d later ticket events were not sent: their time had not come when the run ended.%n",
                    scheduled.size());
        }
        return failed.get() == 0 ? 0 : 1;
    }

    /** An event held until its time. */
    private record Scheduled(Instant at, TrafficModel.Event event) {
    }

    private void progress(double elapsed) {
        System.out.printf("%5.0fs  sent %8d  accepted %8d  rejected %6d  failed %6d  %7.0f events/s%n", elapsed,
                sent.get(), accepted.get(), rejected.get(), failed.get(), sent.get() / elapsed);
    }

    private void send(String path, List<TrafficModel.Event> batch) {
        StringBuilder body = new StringBuilder();
        batch.forEach(e -> body.append(e.json()).append('\n'));
        HttpRequest request = HttpRequest.newBuilder(URI.create(target.url + "/v1/" + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + target.token)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        sent.addAndGet(batch.size());
        requests.incrementAndGet();
        try {
            HttpResponse<String> response = Http.CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2 || response.statusCode() == 422) {
                JsonNode result = TrafficModel.JSON.readTree(response.body());
                accepted.addAndGet(result.path("accepted").asLong());
                rejected.addAndGet(result.path("rejected").asLong());
            } else {
                failed.addAndGet(batch.size());
                System.err.println("HTTP " + response.statusCode() + " from /v1/" + path + ": " + response.body());
            }
        } catch (IOException e) {
            failed.addAndGet(batch.size());
            System.err.println("Request to /v1/" + path + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
