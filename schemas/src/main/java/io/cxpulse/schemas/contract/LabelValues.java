package io.cxpulse.schemas.contract;

import java.util.List;

/**
 * The values a free-text field that becomes a metric label ({@code segment}, {@code touchpoint}, {@code queue})
 * must not take, because the metrics use them for groups: {@code all} for every event, {@code other} for the
 * values past the label cap, {@code none} for events without the field. A segment named {@code all} would
 * otherwise merge into the all-responses row. Ingest refuses them (422) and metrics-streams dead-letters them as a
 * contract violation.
 */
public final class LabelValues {
    /** The reserved values, in lower case as the metrics write them. */
    public static final List<String> RESERVED = List.of("all", "other", "none");

    private LabelValues() {
    }

    /** Whether {@code value} is one of the {@link #RESERVED} values. */
    public static boolean isReserved(String value) {
        return value != null && RESERVED.contains(value);
    }

    /** Why the field {@code name} may not be {@code value}, or null when it may. */
    public static String violation(String name, String value) {
        return isReserved(value) ? name + " '" + value + "' is reserved: " + String.join(", ", RESERVED)
                + " name groups of events in the metrics" : null;
    }
}
