package io.cxpulse.streams.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds a label's values for counters: the first {@code limit} distinct values keep their own label, later ones
 * are {@code other}. (A counter's label cannot move once counted, so it is first come, not top by volume.)
 */
final class LabelCap {
    static final String OTHER = "other";
    private final int limit;
    private final Set<String> kept = ConcurrentHashMap.newKeySet();

    LabelCap(int limit) {
        this.limit = limit;
    }

    String label(String value) {
        if (kept.contains(value)) {
            return value;
        }
        synchronized (this) {
            if (kept.size() < limit) {
                kept.add(value);
                return value;
            }
        }
        return OTHER;
    }
}
