package io.cxpulse.common;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.ConfigException;

/**
 * Configuration in layers: defaults in code, then an optional properties file, then environment variables with
 * the {@code CXPULSE_} prefix ({@code CXPULSE_KAFKA_BOOTSTRAP_SERVERS} sets {@code kafka.bootstrap.servers}, and
 * {@code CXPULSE_TOPIC_SURVEY_RESPONSES} the defaulted key {@code topic.survey-responses}).
 * Later layers win. Typed getters fail with a {@link ConfigException} that names the key.
 */
public final class LayeredConfig {
    /** The prefix of environment variables that configure CX Pulse. */
    public static final String ENV_PREFIX = "CXPULSE_";
    private static final Pattern SECRET = Pattern.compile("(?i).*(password|secret|token|user\\.info|jaas).*");

    private final Map<String, String> values;

    private LayeredConfig(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /**
     * Layers {@code defaults}, the properties file (if given and present), and the {@code CXPULSE_} variables of
     * {@code environment}.
     */
    public static LayeredConfig load(Map<String, String> defaults, Optional<Path> file,
            Map<String, String> environment) {
        Map<String, String> merged = new TreeMap<>(defaults);
        if (file.isPresent()) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file.get(), StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new ConfigException("Cannot read the configuration file " + file.get() + ": " + e.getMessage());
            }
            properties.stringPropertyNames().forEach(key -> merged.put(key, properties.getProperty(key).trim()));
        }
        // a variable name has no '-': CXPULSE_TOPIC_SURVEY_RESPONSES sets the key topic.survey-responses
        Map<String, String> hyphenated = new TreeMap<>();
        defaults.keySet().forEach(key -> hyphenated.put(key.replace('-', '.'), key));
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                String key = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                merged.put(defaults.containsKey(key) ? key : hyphenated.getOrDefault(key, key), value.trim());
            }
        });
        return new LayeredConfig(merged);
    }

    /**
     * The defaults of {@code settings} with {@code overrides} over them: settings built by name, such as a test's
     * or a benchmark's.
     */
    public static LayeredConfig over(java.util.Collection<? extends Setting<?>> settings,
            Map<String, String> overrides) {
        Map<String, String> values = new TreeMap<>();
        settings.forEach(setting -> setting.defaultValue().ifPresent(value -> values.put(setting.key(), value)));
        values.putAll(overrides);
        return new LayeredConfig(values);
    }

    /** A configuration of exactly these values, for tests. */
    public static LayeredConfig of(Map<String, String> values) {
        return new LayeredConfig(values);
    }

    public Optional<String> optional(String key) {
        return Optional.ofNullable(values.get(key)).filter(v -> !v.isBlank());
    }

    public String string(String key) {
        return optional(key).orElseThrow(() -> new ConfigException(key, null, "is required"));
    }

    public int integer(String key, int min, int max) {
        String text = string(key);
        try {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw new ConfigException(key, text, "must be between " + min + " and " + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, text, "must be a whole number");
        }
    }

    /** A finite decimal number, 0 or more. */
    public double nonNegativeNumber(String key) {
        String text = string(key);
        try {
            double value = Double.parseDouble(text);
            if (!Double.isFinite(value) || value < 0) {
                throw new ConfigException(key, text, "must be a number, 0 or more");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, text, "must be a number");
        }
    }

    public boolean bool(String key) {
        String text = string(key);
        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
            throw new ConfigException(key, text, "must be true or false");
        }
        return Boolean.parseBoolean(text);
    }

    /** An ISO-8601 duration ({@code PT5M}, {@code P30D}) or a number of milliseconds. */
    public Duration duration(String key) {
        String text = string(key);
        try {
            if (text.chars().allMatch(Character::isDigit)) {
                return Duration.ofMillis(Long.parseLong(text));
            }
            Duration value = Duration.parse(text);
            if (value.isNegative()) {
                throw new ConfigException(key, text, "must not be negative");
            }
            return value;
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new ConfigException(key, text, "must be an ISO-8601 duration such as PT5M or P30D, or milliseconds");
        }
    }

    /** A {@link #duration(String) duration} that is more than zero. */
    public Duration positiveDuration(String key) {
        Duration value = duration(key);
        if (value.isZero()) {
            throw new ConfigException(key, value, "must be positive");
        }
        return value;
    }

    /** Every value under {@code prefix}, with the prefix removed: {@code kafka.} gives the Kafka client settings. */
    public Map<String, String> withPrefix(String prefix, boolean strip) {
        Map<String, String> result = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                result.put(strip ? key.substring(prefix.length()) : key, value);
            }
        });
        return result;
    }

    /** Keys that are neither in {@code known} nor under one of {@code prefixes}: most likely typos. */
    public java.util.List<String> unknownKeys(java.util.Set<String> known, java.util.List<String> prefixes) {
        return values.keySet().stream().filter(key -> !known.contains(key))
                .filter(key -> prefixes.stream().noneMatch(key::startsWith)).sorted().toList();
    }

    /** The effective configuration for the log, with secrets masked. */
    public Map<String, String> masked() {
        Map<String, String> result = new TreeMap<>();
        values.forEach((key, value) -> result.put(key, SECRET.matcher(key).matches() ? "********" : value));
        return result;
    }
}
