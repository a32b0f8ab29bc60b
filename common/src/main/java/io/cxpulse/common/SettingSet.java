package io.cxpulse.common;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every setting of one service: its declared {@link Setting}s, and the prefixes under which settings pass through
 * to a client (Kafka's, the registry's). Gives the service's defaults, the keys it would ignore, and its section of
 * docs/configuration.md.
 *
 * @param service  the service's name, as a heading
 * @param settings the settings, in the order they are documented; each key once
 * @param prefixes the pass-through prefixes
 */
public record SettingSet(String service, List<Setting<?>> settings, List<Prefix> prefixes) {
    /** The key that names a properties file, read before the rest. */
    public static final String CONFIG_FILE = "config.file";

    /**
     * Settings that pass through under a prefix.
     *
     * @param prefix   such as {@code kafka.}
     * @param defaults the defaults under it, full keys
     * @param doc      what they are
     */
    public record Prefix(String prefix, Map<String, String> defaults, String doc) {
        public Prefix {
            defaults = Map.copyOf(defaults);
        }
    }

    public SettingSet {
        settings = List.copyOf(settings);
        prefixes = List.copyOf(prefixes);
        Set<String> keys = new HashSet<>();
        for (Setting<?> setting : settings) {
            if (!keys.add(setting.key())) {
                throw new IllegalArgumentException("setting " + setting.key() + " is declared twice");
            }
        }
    }

    /** Several groups of settings as one list. */
    @SafeVarargs
    public static List<Setting<?>> concat(List<? extends Setting<?>>... groups) {
        List<Setting<?>> all = new ArrayList<>();
        for (List<? extends Setting<?>> group : groups) {
            all.addAll(group);
        }
        return all;
    }

    /** The bottom layer of the configuration: every default. */
    public Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        settings.forEach(setting -> setting.defaultValue().ifPresent(value -> defaults.put(setting.key(), value)));
        prefixes.forEach(prefix -> defaults.putAll(prefix.defaults()));
        return defaults;
    }

    /** Keys set in {@code config} that no setting reads: most likely typos, worth a warning. */
    public List<String> unknownKeys(LayeredConfig config) {
        Set<String> known = new HashSet<>();
        settings.forEach(setting -> known.add(setting.key()));
        known.add(CONFIG_FILE);
        return config.unknownKeys(known, prefixes.stream().map(Prefix::prefix).toList());
    }

    /** This service's section of docs/configuration.md. */
    public String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("## ").append(service).append("\n\n");
        out.append("| key | default | values | what it does |\n|---|---|---|---|\n");
        for (Setting<?> setting : settings) {
            out.append("| `").append(setting.key()).append("` | ")
                    .append(setting.defaultValue().map(value -> "`" + value + "`").orElse("(none)")).append(" | ")
                    .append(setting.allowed()).append(" | ").append(setting.doc().replace("|", "\\|"))
                    .append(" |\n");
        }
        for (Prefix prefix : prefixes) {
            out.append("| `").append(prefix.prefix()).append("*` | ");
            out.append(prefix.defaults().isEmpty() ? "(none)" : String.join(", ", prefix.defaults().entrySet()
                    .stream().sorted(Map.Entry.comparingByKey()).map(e -> "`" + e.getKey() + "=" + e.getValue()
                            + "`").toList()));
            out.append(" | passed through | ").append(prefix.doc().replace("|", "\\|")).append(" |\n");
        }
        return out.toString();
    }
}
