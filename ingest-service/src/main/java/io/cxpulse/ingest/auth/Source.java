package io.cxpulse.ingest.auth;

import java.util.Set;

import io.cxpulse.ingest.EventType;

/**
 * An authenticated sender of events.
 *
 * @param name    the source name stamped on every event it sends
 * @param allowed the event types it may send
 */
public record Source(String name, Set<EventType> allowed) {
    public Source {
        allowed = Set.copyOf(allowed);
    }

    public boolean mayPublish(EventType type) {
        return allowed.contains(type);
    }
}
