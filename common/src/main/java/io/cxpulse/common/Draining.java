package io.cxpulse.common;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first step of a graceful stop: readiness fails, then the service keeps serving for {@link #DELAY}, so that
 * a load balancer or an orchestrator stops sending it requests before it stops answering them.
 */
public final class Draining {
    /** How long readiness fails before the service stops serving. */
    public static final Setting<Duration> DELAY = Setting.duration("http.drain.delay", "PT5S",
            "At SIGTERM, how long `/health/ready` answers 503 while the service still serves, before it stops: "
                    + "time for a load balancer's health check to take it out (0 stops at once).");
    private static final Logger LOG = LoggerFactory.getLogger(Draining.class);

    private volatile boolean draining;

    /** Whether the service is stopping: readiness must fail. */
    public boolean draining() {
        return draining;
    }

    /** Fails readiness from now on and waits {@code delay} while the service keeps serving. */
    public void begin(Duration delay) {
        draining = true;
        if (delay.isZero()) {
            return;
        }
        LOG.info("Not ready from now on; serving {} ms more before stopping", delay.toMillis());
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
