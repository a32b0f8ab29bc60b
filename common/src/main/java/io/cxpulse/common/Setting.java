package io.cxpulse.common;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

import org.apache.kafka.common.config.ConfigException;

/**
 * One setting, declared once: its key, its default, how its value is read and checked, and what it does. A
 * service's defaults, its unknown-key warnings, its validation and docs/configuration.md all come from its
 * declarations ({@link SettingSet}). Reading a bad value fails with a {@link ConfigException} that names the key.
 *
 * @param <T> the type of the value
 */
public final class Setting<T> {
    private final String key;
    private final String defaultValue;
    private final String allowed;
    private final String doc;
    private final BiFunction<LayeredConfig, String, T> reader;

    private Setting(String key, String defaultValue, String allowed, String doc,
            BiFunction<LayeredConfig, String, T> reader) {
        this.key = Objects.requireNonNull(key, "key");
        this.defaultValue = defaultValue;
        this.allowed = allowed;
        this.doc = Objects.requireNonNull(doc, "doc");
        this.reader = reader;
        if (defaultValue != null) {
            // a default that its own setting refuses is a programming error: fail when the class loads
            read(LayeredConfig.of(java.util.Map.of(key, defaultValue)));
        }
    }

    /** Text, not blank. */
    public static Setting<String> text(String key, String defaultValue, String doc) {
        return new Setting<>(key, defaultValue, "text", doc, LayeredConfig::string);
    }

    /** Text with no default: absent unless set. */
    public static Setting<Optional<String>> optionalText(String key, String doc) {
        return new Setting<>(key, null, "text", doc, LayeredConfig::optional);
    }

    /** One of {@code values}, exactly. */
    public static Setting<String> oneOf(String key, String defaultValue, List<String> values, String doc) {
        return new Setting<>(key, defaultValue, String.join(", ", values), doc, (config, k) -> {
            String value = config.string(k);
            if (!values.contains(value)) {
                throw new ConfigException(k, value, "must be one of " + String.join(", ", values));
            }
            return value;
        });
    }

    /** A whole number in [{@code min}, {@code max}]. */
    public static Setting<Integer> integer(String key, int defaultValue, int min, int max, String doc) {
        return new Setting<>(key, Integer.toString(defaultValue), String.format(Locale.ROOT, "%,d to %,d", min, max),
                doc, (config, k) -> config.integer(k, min, max));
    }

    /** A finite decimal number, 0 or more. */
    public static Setting<Double> number(String key, String defaultValue, String doc) {
        return new Setting<>(key, defaultValue, "a number, 0 or more", doc, LayeredConfig::nonNegativeNumber);
    }

    public static Setting<Boolean> bool(String key, boolean defaultValue, String doc) {
        return new Setting<>(key, Boolean.toString(defaultValue), "true, false", doc, LayeredConfig::bool);
    }

    /** A duration of 0 or more: ISO-8601 ({@code PT5M}, {@code P30D}) or milliseconds. */
    public static Setting<Duration> duration(String key, String defaultValue, String doc) {
        return new Setting<>(key, defaultValue, "a duration, 0 or more", doc, LayeredConfig::duration);
    }

    /** A duration of more than 0. */
    public static Setting<Duration> positiveDuration(String key, String defaultValue, String doc) {
        return new Setting<>(key, defaultValue, "a duration above 0", doc, LayeredConfig::positiveDuration);
    }

    /** A duration of more than 0, or {@code none}. */
    public static Setting<Optional<Duration>> positiveDurationOrNone(String key, String defaultValue, String doc) {
        return new Setting<>(key, defaultValue, "a duration above 0, or none", doc, (config, k) ->
                config.string(k).equalsIgnoreCase("none") ? Optional.empty()
                        : Optional.of(config.positiveDuration(k)));
    }

    /** The value in {@code config}, checked. */
    public T read(LayeredConfig config) {
        return reader.apply(config, key);
    }

    public String key() {
        return key;
    }

    /** The default, as it would be written in a properties file; empty when the setting has none. */
    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** The values it takes, in words. */
    public String allowed() {
        return allowed;
    }

    /** What it does. */
    public String doc() {
        return doc;
    }

    @Override
    public String toString() {
        return key;
    }
}
