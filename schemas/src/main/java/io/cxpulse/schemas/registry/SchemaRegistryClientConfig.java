package io.cxpulse.schemas.registry;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.config.ConfigException;

/**
 * How to reach a schema registry, read from Confluent's configuration names so that an existing Confluent
 * client configuration works unchanged.
 *
 * <p>Recognised keys (client keys may also carry the {@code schema.registry.} prefix):
 * {@code schema.registry.url} (comma-separated), {@code basic.auth.credentials.source} ({@code USER_INFO} or
 * {@code URL}), {@code basic.auth.user.info}, {@code schema.registry.ssl.truststore.location|password|type},
 * {@code schema.registry.ssl.keystore.location|password|type}, {@code schema.registry.ssl.key.password},
 * {@code http.connect.timeout.ms}, {@code http.read.timeout.ms}, {@code max.retries}, {@code retries.wait.ms},
 * {@code retries.max.wait.ms} and {@code latest.cache.ttl.sec}.
 *
 * @param urls             the registry base URLs, tried in turn when one does not answer
 * @param userInfo         {@code user:password} for HTTP basic authentication, if any
 * @param tls              trust and key material for HTTPS, if configured
 * @param connectTimeout   how long to wait for a connection
 * @param readTimeout      how long to wait for an answer to one request
 * @param maxRetries       how many times a failed request (IO error or 5xx) is retried
 * @param retryWait        the first backoff; it doubles on each retry
 * @param retryMaxWait     the longest backoff
 * @param latestCacheTtl   how long a subject's latest version is cached; negative means forever
 */
public record SchemaRegistryClientConfig(List<URI> urls, Optional<String> userInfo, Optional<TlsSettings> tls,
        Duration connectTimeout, Duration readTimeout, int maxRetries, Duration retryWait, Duration retryMaxWait,
        Duration latestCacheTtl) {

    public static final String URL = "schema.registry.url";
    public static final String CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String USER_INFO = "basic.auth.user.info";
    public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
    public static final String KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
    public static final String KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
    public static final String KEY_PASSWORD = "schema.registry.ssl.key.password";
    public static final String CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
    public static final String READ_TIMEOUT_MS = "http.read.timeout.ms";
    public static final String MAX_RETRIES = "max.retries";
    public static final String RETRIES_WAIT_MS = "retries.wait.ms";
    public static final String RETRIES_MAX_WAIT_MS = "retries.max.wait.ms";
    public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";
    private static final String PREFIX = "schema.registry.";

    public SchemaRegistryClientConfig {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new ConfigException(URL, "", "at least one schema registry URL is required");
        }
    }

    /**
     * Trust and key stores for HTTPS.
     *
     * @param truststore         the trust store file, if any (otherwise the JVM's default trust)
     * @param truststorePassword its password
     * @param truststoreType     its type, JKS or PKCS12
     * @param keystore           the key store file for client authentication, if any
     * @param keystorePassword   its password
     * @param keystoreType       its type
     * @param keyPassword        the key's password, if it differs from the store's
     */
    public record TlsSettings(Optional<String> truststore, String truststorePassword, String truststoreType,
            Optional<String> keystore, String keystorePassword, String keystoreType, String keyPassword) {
    }

    /** A configuration with defaults for everything but the URL. */
    public static SchemaRegistryClientConfig forUrl(String url) {
        return fromMap(Map.of(URL, url));
    }

    /** Reads the configuration; a missing or bad value raises a {@link ConfigException} naming its key. */
    public static SchemaRegistryClientConfig fromMap(Map<String, ?> configs) {
        Object rawUrls = configs.get(URL);
        if (rawUrls == null || rawUrls.toString().isBlank()) {
            throw new ConfigException(URL, rawUrls, "is required: the base URL of the schema registry");
        }
        List<URI> urls = new ArrayList<>();
        Optional<String> urlUserInfo = Optional.empty();
        for (String part : rawUrls.toString().split(",")) {
            String text = part.trim();
            if (text.isEmpty()) {
                continue;
            }
            URI uri;
            try {
                uri = URI.create(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(URL, text, "is not a URL: " + e.getMessage());
            }
            if (uri.getScheme() == null || uri.getHost() == null
                    || !List.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
                throw new ConfigException(URL, text, "must be an http:// or https:// URL with a host");
            }
            if (uri.getRawUserInfo() != null) {
                urlUserInfo = Optional.of(java.net.URLDecoder.decode(uri.getRawUserInfo(),
                        java.nio.charset.StandardCharsets.UTF_8));
            }
            urls.add(stripUserInfo(uri));
        }

        String source = string(configs, CREDENTIALS_SOURCE).orElse("URL").toUpperCase(Locale.ROOT);
        Optional<String> userInfo = switch (source) {
            case "USER_INFO" -> Optional.of(string(configs, USER_INFO).filter(s -> s.contains(":"))
                    .orElseThrow(() -> new ConfigException(USER_INFO, "(hidden)",
                            "must be user:password when " + CREDENTIALS_SOURCE + " is USER_INFO")));
            case "URL" -> urlUserInfo;
            default -> throw new ConfigException(CREDENTIALS_SOURCE, source,
                    "must be USER_INFO or URL (SASL_INHERIT is not supported)");
        };

        Optional<String> truststore = string(configs, TRUSTSTORE_LOCATION);
        Optional<String> keystore = string(configs, KEYSTORE_LOCATION);
        Optional<TlsSettings> tls = Optional.empty();
        if (truststore.isPresent() || keystore.isPresent()) {
            String keystorePassword = string(configs, KEYSTORE_PASSWORD).orElse("");
            tls = Optional.of(new TlsSettings(truststore, string(configs, TRUSTSTORE_PASSWORD).orElse(""),
                    string(configs, TRUSTSTORE_TYPE).orElse("JKS"), keystore, keystorePassword,
                    string(configs, KEYSTORE_TYPE).orElse("JKS"),
                    string(configs, KEY_PASSWORD).orElse(keystorePassword)));
        }

        return new SchemaRegistryClientConfig(urls, userInfo, tls,
                Duration.ofMillis(number(configs, CONNECT_TIMEOUT_MS, 10_000, 1)),
                Duration.ofMillis(number(configs, READ_TIMEOUT_MS, 30_000, 1)),
                (int) number(configs, MAX_RETRIES, 3, 0),
                Duration.ofMillis(number(configs, RETRIES_WAIT_MS, 1_000, 0)),
                Duration.ofMillis(number(configs, RETRIES_MAX_WAIT_MS, 20_000, 0)),
                Duration.ofSeconds(number(configs, LATEST_CACHE_TTL_SEC, -1, Long.MIN_VALUE)));
    }

    private static URI stripUserInfo(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        return URI.create(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
                + path);
    }

    private static Optional<Object> raw(Map<String, ?> configs, String key) {
        Object value = configs.get(key);
        if (value == null && !key.startsWith(PREFIX)) {
            value = configs.get(PREFIX + key);
        }
        return Optional.ofNullable(value);
    }

    private static Optional<String> string(Map<String, ?> configs, String key) {
        return raw(configs, key).map(value -> value instanceof org.apache.kafka.common.config.types.Password p
                ? p.value() : value.toString()).map(String::trim).filter(s -> !s.isEmpty());
    }

    private static long number(Map<String, ?> configs, String key, long defaultValue, long min) {
        Optional<Object> value = raw(configs, key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        long parsed;
        try {
            parsed = value.get() instanceof Number n ? n.longValue() : Long.parseLong(value.get().toString().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, value.get(), "must be a whole number");
        }
        if (parsed < min) {
            throw new ConfigException(key, value.get(), "must be at least " + min);
        }
        return parsed;
    }
}
