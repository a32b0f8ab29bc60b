package io.cxpulse.schemas.serde;

import java.util.Map;

import io.cxpulse.schemas.registry.SchemaRegistryClientConfig;

import org.apache.kafka.common.config.ConfigException;

/**
 * Serde settings under Confluent's names, so that a Confluent serde configuration works unchanged.
 *
 * @param registry          how to reach the schema registry
 * @param autoRegister      {@code auto.register.schemas}: register the record's schema when serialising
 *                          (default true)
 * @param useLatestVersion  {@code use.latest.version}: write with the subject's latest schema instead of the
 *                          record's own (default false; takes effect when auto-registration is off)
 * @param specificReader    {@code specific.avro.reader}: deserialise to generated classes rather than
 *                          {@code GenericRecord} (default false)
 */
public record AvroSerdeConfig(SchemaRegistryClientConfig registry, boolean autoRegister, boolean useLatestVersion,
        boolean specificReader) {

    public static final String SCHEMA_REGISTRY_URL = SchemaRegistryClientConfig.URL;
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    /** The only subject naming supported: {@code <topic>-key} and {@code <topic>-value}. */
    public static final String TOPIC_NAME_STRATEGY = "io.confluent.kafka.serializers.subject.TopicNameStrategy";

    /** Reads the settings; a bad value raises a {@link ConfigException} that names its key. */
    public static AvroSerdeConfig fromMap(Map<String, ?> configs) {
        for (String key : new String[] {KEY_SUBJECT_NAME_STRATEGY, VALUE_SUBJECT_NAME_STRATEGY}) {
            Object strategy = configs.get(key);
            if (strategy != null && !TOPIC_NAME_STRATEGY.equals(strategy instanceof Class<?> c ? c.getName()
                    : strategy.toString().trim())) {
                throw new ConfigException(key, strategy, "only " + TOPIC_NAME_STRATEGY + " is supported");
            }
        }
        return new AvroSerdeConfig(SchemaRegistryClientConfig.fromMap(configs),
                bool(configs, AUTO_REGISTER_SCHEMAS, true), bool(configs, USE_LATEST_VERSION, false),
                bool(configs, SPECIFIC_AVRO_READER, false));
    }

    /** The subject for {@code topic}: {@code <topic>-key} or {@code <topic>-value}. */
    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    private static boolean bool(Map<String, ?> configs, String key, boolean defaultValue) {
        Object value = configs.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new ConfigException(key, value, "must be true or false");
    }
}
