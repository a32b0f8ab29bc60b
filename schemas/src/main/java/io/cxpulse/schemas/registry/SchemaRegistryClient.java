package io.cxpulse.schemas.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client for the Confluent Schema Registry REST API (Avro schemas), safe for use from many threads.
 *
 * <p>Schema ids are immutable, so schemas by id and ids by (subject, schema) are cached for the life of the
 * client: each is fetched once. A subject's latest version is cached for {@code latest.cache.ttl.sec}.
 * Requests that fail with an IO error or a 5xx answer are retried with exponential backoff and jitter, moving
 * to the next configured URL on IO errors; 4xx answers are not retried.
 */
public final class SchemaRegistryClient {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT = MEDIA_TYPE + ", application/vnd.schemaregistry+json; qs=0.9, "
            + "application/json; qs=0.5";

    private final SchemaRegistryClientConfig config;
    private final HttpClient http;
    private final Optional<String> authorization;
    private final AtomicInteger currentUrl = new AtomicInteger();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<String, CachedLatest> latestBySubject = new ConcurrentHashMap<>();

    private record CachedLatest(SchemaMetadata metadata, long fetchedAtNanos) {
    }

    public SchemaRegistryClient(SchemaRegistryClientConfig config) {
        this.config = config;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        config.tls().ifPresent(tls -> builder.sslContext(sslContext(tls)));
        this.http = builder.build();
        this.authorization = config.userInfo().map(info ->
                "Basic " + Base64.getEncoder().encodeToString(info.getBytes(StandardCharsets.UTF_8)));
    }

    /** A client with default settings for one registry URL. */
    public static SchemaRegistryClient forUrl(String url) {
        return new SchemaRegistryClient(SchemaRegistryClientConfig.forUrl(url));
    }

    /** The configuration this client was built with. */
    public SchemaRegistryClientConfig config() {
        return config;
    }

    /** Registers {@code schema} under {@code subject} (or finds it registered) and returns its global id. */
    public int register(String subject, Schema schema) {
        Integer cached = idsFor(subject).get(schema);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = call("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema),
                "registering a schema under subject '" + subject + "'");
        int id = requiredInt(answer, "id");
        remember(subject, schema, id);
        return id;
    }

    /** The id of {@code schema} as registered under {@code subject}; fails with 40401 or 40403 when it is not. */
    public int getId(String subject, Schema schema) {
        Integer cached = idsFor(subject).get(schema);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = call("POST", "/subjects/" + encode(subject), schemaBody(schema),
                "looking up a schema under subject '" + subject + "'");
        int id = requiredInt(answer, "id");
        remember(subject, schema, id);
        return id;
    }

    /** The schema with this global id, fetched once and then served from the cache. */
    public Schema getSchemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = call("GET", "/schemas/ids/" + id, null, "fetching schema id " + id);
        Schema schema = parse(requiredText(answer, "schema"), "schema id " + id);
        Schema previous = schemasById.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    /** The latest version of {@code subject}, cached for {@code latest.cache.ttl.sec}. */
    public SchemaMetadata getLatestSchemaMetadata(String subject) {
        CachedLatest cached = latestBySubject.get(subject);
        Duration ttl = config.latestCacheTtl();
        if (cached != null && (ttl.isNegative() || System.nanoTime() - cached.fetchedAtNanos() < ttl.toNanos())) {
            return cached.metadata();
        }
        SchemaMetadata latest = version(subject, "latest");
        latestBySubject.put(subject, new CachedLatest(latest, System.nanoTime()));
        return latest;
    }

    /** One numbered version of {@code subject}. */
    public SchemaMetadata getSchemaMetadata(String subject, int version) {
        return version(subject, Integer.toString(version));
    }

    /** The version numbers of {@code subject}, oldest first. */
    public List<Integer> getAllVersions(String subject) {
        JsonNode answer = call("GET", "/subjects/" + encode(subject) + "/versions", null,
                "listing the versions of subject '" + subject + "'");
        List<Integer> versions = new ArrayList<>();
        answer.forEach(node -> versions.add(node.asInt()));
        return versions;
    }

    /** Every subject the registry holds. */
    public List<String> getAllSubjects() {
        JsonNode answer = call("GET", "/subjects", null, "listing subjects");
        List<String> subjects = new ArrayList<>();
        answer.forEach(node -> subjects.add(node.asText()));
        return subjects;
    }

    /** Whether {@code schema} is compatible with the latest version of {@code subject}, with the reasons. */
    public CompatibilityResult testCompatibility(String subject, Schema schema) {
        JsonNode answer = call("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true",
                schemaBody(schema), "checking compatibility with subject '" + subject + "'");
        List<String> messages = new ArrayList<>();
        answer.path("messages").forEach(node -> messages.add(node.asText()));
        return new CompatibilityResult(answer.path("is_compatible").asBoolean(false), messages);
    }

    /** The global compatibility level. */
    public String getCompatibility() {
        return call("GET", "/config", null, "reading the global compatibility level")
                .path("compatibilityLevel").asText();
    }

    /**
     * The compatibility level that applies to {@code subject}: its own, or the global one when it has none.
     */
    public String getCompatibility(String subject) {
        return call("GET", "/config/" + encode(subject) + "?defaultToGlobal=true", null,
                "reading the compatibility level of subject '" + subject + "'").path("compatibilityLevel").asText();
    }

    /** Sets the global compatibility level (NONE, BACKWARD, FORWARD, FULL, or a _TRANSITIVE one). */
    public String updateCompatibility(String level) {
        return call("PUT", "/config", Map.of("compatibility", level), "setting the global compatibility level")
                .path("compatibility").asText();
    }

    /** Sets the compatibility level of {@code subject}. */
    public String updateCompatibility(String subject, String level) {
        return call("PUT", "/config/" + encode(subject), Map.of("compatibility", level),
                "setting the compatibility level of subject '" + subject + "'").path("compatibility").asText();
    }

    private SchemaMetadata version(String subject, String version) {
        JsonNode answer = call("GET", "/subjects/" + encode(subject) + "/versions/" + version, null,
                "fetching version " + version + " of subject '" + subject + "'");
        int id = requiredInt(answer, "id");
        Schema schema = schemasById.computeIfAbsent(id, key ->
                parse(requiredText(answer, "schema"), "schema id " + id));
        remember(subject, schema, id);
        return new SchemaMetadata(subject, requiredInt(answer, "version"), id, schema);
    }

    private Map<Schema, Integer> idsFor(String subject) {
        return idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
    }

    private void remember(String subject, Schema schema, int id) {
        idsFor(subject).put(schema, id);
        schemasById.putIfAbsent(id, schema);
    }

    private JsonNode call(String method, String path, Object body, String what) {
        String text;
        try {
            text = body == null ? null : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int attempts = config.maxRetries() + 1;
        for (int attempt = 1; ; attempt++) {
            int urlIndex = Math.floorMod(currentUrl.get(), config.urls().size());
            URI base = config.urls().get(urlIndex);
            HttpResponse<String> response;
            try {
                response = http.send(request(method, base, path, text), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                currentUrl.compareAndSet(urlIndex, urlIndex + 1);
                if (attempt >= attempts) {
                    throw new SchemaRegistryException("Schema registry at " + base + " did not answer while "
                            + what + " after " + attempts + " attempt(s): " + e, -1,
                            SchemaRegistryException.NO_ANSWER, e);
                }
                LOG.warn("Schema registry at {} did not answer while {} (attempt {} of {}): {}", base, what,
                        attempt, attempts, e.toString());
                backoff(attempt);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("Interrupted while " + what, -1, SchemaRegistryException.NO_ANSWER,
                        e);
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return readJson(response.body(), what);
            }
            SchemaRegistryException error = error(response, what);
            if (status < 500 || attempt >= attempts) {
                throw error;
            }
            LOG.warn("Schema registry answered {} while {} (attempt {} of {})", status, what, attempt, attempts);
            backoff(attempt);
        }
    }

    private HttpRequest request(String method, URI base, String path, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(config.readTimeout())
                .header("Accept", ACCEPT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            builder.header("Content-Type", MEDIA_TYPE);
        }
        authorization.ifPresent(value -> builder.header("Authorization", value));
        return builder.build();
    }

    private void backoff(int attempt) {
        long base = config.retryWait().toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(base, config.retryMaxWait().toMillis());
        long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        try {
            Thread.sleep(jittered);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("Interrupted while waiting to retry", -1,
                    SchemaRegistryException.NO_ANSWER, e);
        }
    }

    private static SchemaRegistryException error(HttpResponse<String> response, String what) {
        int status = response.statusCode();
        int code = status;
        String message = response.body() == null ? "" : response.body().trim();
        try {
            JsonNode body = JSON.readTree(response.body());
            if (body != null && body.has("error_code")) {
                code = body.path("error_code").asInt(status);
                message = body.path("message").asText("");
            }
        } catch (IOException ignored) {
            // not JSON (a proxy's error page, say): keep the raw text, shortened
        }
        if (message.length() > 500) {
            message = message.substring(0, 500) + "...";
        }
        return new SchemaRegistryException("Schema registry refused " + what + ": "
                + SchemaRegistryException.describe(code) + " (error " + code + ", HTTP " + status + "): " + message,
                status, code, null);
    }

    private static JsonNode readJson(String body, String what) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new SchemaRegistryException("Schema registry answered with malformed JSON while " + what, -1,
                    SchemaRegistryException.NO_ANSWER, e);
        }
    }

    private static int requiredInt(JsonNode answer, String field) {
        JsonNode node = answer.path(field);
        if (!node.canConvertToInt()) {
            throw new SchemaRegistryException("Schema registry answer lacks \"" + field + "\": " + answer, -1,
                    SchemaRegistryException.NO_ANSWER, null);
        }
        return node.asInt();
    }

    private static String requiredText(JsonNode answer, String field) {
        JsonNode node = answer.path(field);
        if (!node.isTextual()) {
            throw new SchemaRegistryException("Schema registry answer lacks \"" + field + "\"", -1,
                    SchemaRegistryException.NO_ANSWER, null);
        }
        return node.asText();
    }

    private static Schema parse(String text, String what) {
        try {
            return new Schema.Parser().parse(text);
        } catch (RuntimeException e) {
            throw new SchemaRegistryException("Schema registry returned an unparseable schema for " + what + ": "
                    + e.getMessage(), -1, SchemaRegistryException.INVALID_SCHEMA, e);
        }
    }

    private static Map<String, String> schemaBody(Schema schema) {
        return Map.of("schema", schema.toString());
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static SSLContext sslContext(SchemaRegistryClientConfig.TlsSettings tls) {
        try {
            TrustManagerFactory trust = null;
            if (tls.truststore().isPresent()) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(load(tls.truststore().get(), tls.truststoreType(), tls.truststorePassword(),
                        SchemaRegistryClientConfig.TRUSTSTORE_LOCATION));
            }
            KeyManagerFactory keys = null;
            if (tls.keystore().isPresent()) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(load(tls.keystore().get(), tls.keystoreType(), tls.keystorePassword(),
                        SchemaRegistryClientConfig.KEYSTORE_LOCATION), tls.keyPassword().toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(),
                    null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConfigException("Could not set up TLS for the schema registry: " + e.getMessage());
        }
    }

    private static KeyStore load(String location, String type, String password, String key) {
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(key, location, "could not be loaded as a " + type + " store: " + e.getMessage());
        }
    }
}
