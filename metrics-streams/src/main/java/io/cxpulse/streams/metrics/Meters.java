package io.cxpulse.streams.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.cxpulse.avro.DeadLetterReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;

/**
 * The meters one topology's metrics class registers, made once and kept: counters by name and tags, gauges whose
 * rows are replaced at each scrape, and the intake counters that every event type shares.
 */
final class Meters {
    private final MeterRegistry registry;
    private final String type;
    private final Map<Key, Meter> meters = new ConcurrentHashMap<>();
    private final Map<String, MultiGauge> gauges = new ConcurrentHashMap<>();

    /**
     * @param registry where to register
     * @param type     the {@code type} label of the intake counters (survey_response, ticket_event, touchpoint:
     *                 as ingest labels them)
     */
    Meters(MeterRegistry registry, String type) {
        this.registry = registry;
        this.type = type;
    }

    MeterRegistry registry() {
        return registry;
    }

    /**
     * The counter {@code name} with tags {@code tags} (keys and values in turn, as {@link Tags#of(String...)}
     * takes them), registered on first use. Looked up by the name and the strings as given, so a hit builds no
     * {@link Tags} (which sort) and no string; pass a name's keys in one order.
     */
    Counter counter(String name, String description, String... tags) {
        return meter(name, tags, t -> Counter.builder(name).description(description).tags(t).register(registry));
    }

    /** The meter {@code name} with tags {@code tags} (keys and values in turn), made by {@code make} on a miss. */
    @SuppressWarnings("unchecked")
    <M extends Meter> M meter(String name, String[] tags, Function<Tags, M> make) {
        Key key = new Key(name, tags);
        Meter meter = meters.get(key);
        if (meter == null) {
            meter = meters.computeIfAbsent(new Key(name, tags.clone()), k -> make.apply(Tags.of(tags)));
        }
        return (M) meter;
    }

    /** A meter's name and tag strings, compared element by element. */
    private static final class Key {
        private final String name;
        private final String[] tags;
        private final int hash;

        Key(String name, String[] tags) {
            this.name = name;
            this.tags = tags;
            this.hash = 31 * name.hashCode() + Arrays.hashCode(tags);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && hash == key.hash && name.equals(key.name)
                    && Arrays.equals(tags, key.tags);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** An event dropped because its eventId was already counted. */
    void duplicate() {
        counter("cx.duplicate.events", "Events dropped because their eventId was already counted",
                "type", type).increment();
    }

    /** A record sent to the dead-letter topic; a late event is also counted as late. */
    void deadLettered(DeadLetterReason reason) {
        counter("cx.dead.letters", "Records sent to the dead-letter topic, by reason",
                "type", type, "reason", reason.name()).increment();
        if (reason == DeadLetterReason.LATE_EVENT) {
            counter("cx.late.events", "Events further behind their input's progress than the lateness horizon "
                    + "(dead-lettered, not counted)", "type", type).increment();
        }
    }

    /**
     * Sets gauge {@code name} to one row per entry of {@code rows} whose value is not null, labelled
     * {@code labels} with the entry's key (as many values as labels); rows not given again are removed.
     */
    <T> void gauge(String name, String description, String unit, List<String> labels, Map<List<String>, T> rows,
            Function<T, Double> value) {
        List<MultiGauge.Row<?>> gaugeRows = new ArrayList<>();
        rows.forEach((row, sum) -> {
            Double figure = value.apply(sum);
            if (figure != null) {
                List<Tag> tags = new ArrayList<>();
                for (int i = 0; i < labels.size(); i++) {
                    tags.add(Tag.of(labels.get(i), row.get(i)));
                }
                gaugeRows.add(MultiGauge.Row.of(Tags.of(tags), figure));
            }
        });
        gauges.computeIfAbsent(name, n -> MultiGauge.builder(n).description(description).baseUnit(unit)
                .register(registry)).register(gaugeRows, true);
    }

    /** The {@code n} names with the most volume (ties by name). */
    static Set<String> top(Map<String, Long> volume, int n) {
        Set<String> top = new HashSet<>();
        volume.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(n).forEach(entry -> top.add(entry.getKey()));
        return top;
    }
}
