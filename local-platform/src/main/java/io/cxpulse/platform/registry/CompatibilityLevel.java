package io.cxpulse.platform.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Confluent's compatibility levels, checked with Avro's own {@link SchemaCompatibility}.
 *
 * <p>BACKWARD: consumers on the new schema read data written with the old one. FORWARD: consumers on the old
 * schema read data written with the new one. FULL: both. The non-transitive levels compare with the latest
 * version only; the transitive ones with every earlier version.
 */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /** Parses a level case-insensitively, as Confluent does; empty when {@code text} names no level. */
    public static Optional<CompatibilityLevel> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (CompatibilityLevel level : values()) {
            if (level.name().equals(text.trim().toUpperCase(Locale.ROOT))) {
                return Optional.of(level);
            }
        }
        return Optional.empty();
    }

    /**
     * Checks {@code candidate} against the earlier versions of a subject.
     *
     * @param earlier the subject's schemas, oldest first
     * @return one message per incompatibility; empty when the candidate is compatible
     */
    public List<String> incompatibilities(Schema candidate, List<Schema> earlier) {
        if (earlier.isEmpty() || this == NONE) {
            return List.of();
        }
        List<Schema> toCheck = transitive ? earlier : List.of(earlier.get(earlier.size() - 1));
        List<String> messages = new ArrayList<>();
        for (Schema previous : toCheck) {
            if (backward) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, previous), "new reader",
                        "old writer", messages);
            }
            if (forward) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(previous, candidate), "old reader",
                        "new writer", messages);
            }
        }
        return messages;
    }

    private static void describe(SchemaPairCompatibility result, String reader, String writer,
            List<String> messages) {
        for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            messages.add("{errorType:'" + incompatibility.getType() + "', description:'" + reader + " vs " + writer
                    + ": " + incompatibility.getMessage() + "', location:'" + incompatibility.getLocation() + "'}");
        }
    }
}
