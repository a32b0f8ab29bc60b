package io.cxpulse.platform.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the registry knows: subjects and their versions, schemas by id, and compatibility levels. It is
 * rebuilt from the {@code _schemas} log at start and changed only by applying log records, so that memory and
 * log never disagree. Not thread-safe: the server serialises access.
 */
final class RegistryState {
    private final Map<String, List<SchemaVersion>> subjects = new TreeMap<>();
    private final Map<Integer, String> schemasById = new HashMap<>();
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
    private int maxId;

    void apply(SchemaVersion version) {
        List<SchemaVersion> versions = subjects.computeIfAbsent(version.subject(), s -> new ArrayList<>());
        versions.removeIf(v -> v.version() == version.version());
        versions.add(version);
        versions.sort((a, b) -> Integer.compare(a.version(), b.version()));
        schemasById.put(version.id(), version.schema());
        idsBySchema.putIfAbsent(version.schema(), version.id());
        maxId = Math.max(maxId, version.id());
    }

    /** Drops a version from its subject; the schema stays known by id. */
    void remove(String subject, int version) {
        List<SchemaVersion> versions = subjects.get(subject);
        if (versions != null) {
            versions.removeIf(v -> v.version() == version);
            if (versions.isEmpty()) {
                subjects.remove(subject);
            }
        }
    }

    void applyLevel(String subject, CompatibilityLevel level) {
        if (subject == null) {
            globalLevel = level == null ? CompatibilityLevel.BACKWARD : level;
        } else if (level == null) {
            subjectLevels.remove(subject);
        } else {
            subjectLevels.put(subject, level);
        }
    }

    List<String> subjects() {
        return List.copyOf(subjects.keySet());
    }

    List<SchemaVersion> versions(String subject) {
        return List.copyOf(subjects.getOrDefault(subject, List.of()));
    }

    Optional<SchemaVersion> version(String subject, int version) {
        return versions(subject).stream().filter(v -> v.version() == version).findFirst();
    }

    Optional<SchemaVersion> latest(String subject) {
        List<SchemaVersion> versions = versions(subject);
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
    }

    Optional<SchemaVersion> find(String subject, String canonicalSchema) {
        return versions(subject).stream().filter(v -> v.schema().equals(canonicalSchema)).findFirst();
    }

    Optional<String> schema(int id) {
        return Optional.ofNullable(schemasById.get(id));
    }

    List<SchemaVersion> usages(int id) {
        List<SchemaVersion> usages = new ArrayList<>();
        subjects.values().forEach(versions -> versions.stream().filter(v -> v.id() == id).forEach(usages::add));
        return usages;
    }

    /** The id an identical schema already has under any subject, or the next free id. */
    int idFor(String canonicalSchema) {
        Integer existing = idsBySchema.get(canonicalSchema);
        return existing != null ? existing : maxId + 1;
    }

    CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    CompatibilityLevel effectiveLevel(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }
}
