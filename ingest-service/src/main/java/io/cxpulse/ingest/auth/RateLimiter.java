package io.cxpulse.ingest.auth;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.cxpulse.common.problem.ProblemException;
import io.cxpulse.ingest.http.Problems;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * Each source's event rate (bucket4j token buckets, one per source, refilled greedily every second), with a burst
 * of at least one full request. Shared by the request threads.
 */
public final class RateLimiter {
    private final int eventsPerSecond;
    private final int burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param eventsPerSecond events per second per source; 0 means unlimited
     * @param maxEvents       the most events a request may hold: a source may always send one full request
     */
    public RateLimiter(int eventsPerSecond, int maxEvents) {
        this.eventsPerSecond = eventsPerSecond;
        this.burst = Math.max(eventsPerSecond, maxEvents);
    }

    /**
     * Takes {@code events} from {@code source}'s allowance.
     *
     * @throws ProblemException a 429 with {@code Retry-After} when the source is over its rate
     */
    public void acquire(Source source, int events) {
        if (eventsPerSecond == 0) {
            return;
        }
        Bucket bucket = buckets.computeIfAbsent(source.name(), name -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(eventsPerSecond, Duration.ofSeconds(1))
                        .build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(events);
        if (!probe.isConsumed()) {
            long retryAfter = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill()) + 1);
            throw new ProblemException(Problems.rateLimited(source.name(), retryAfter),
                    Map.of("Retry-After", Long.toString(retryAfter)));
        }
    }
}
