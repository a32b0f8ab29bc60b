package io.cxpulse.platform.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A schema registry that speaks the Confluent Schema Registry REST API for Avro: the same paths, status codes
 * and error bodies, so Confluent's clients and serdes work against it unchanged.
 *
 * <p>Implemented: register and look up schemas under subjects, schemas by id, subject versions,
 * compatibility checks, and global and per-subject compatibility levels. Not implemented: deletes, schema
 * references, contexts and non-Avro schema types, which are refused with a clear error.
 */
public final class SchemaRegistryServer implements AutoCloseable {
    /** Confluent's media type; plain {@code application/json} requests are accepted as well. */
    public static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistrySettings settings;
    private final RegistryState state = new RegistryState();
    private final Object writeLock = new Object();
    private final SchemaLog log;
    private final Javalin app;

    private SchemaRegistryServer(RegistrySettings settings) {
        this.settings = settings;
        this.log = SchemaLog.open(settings.bootstrapServers(), settings.schemasTopic(), state);
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jetty.defaultHost = settings.host();
            config.jetty.defaultPort = settings.port();
            config.http.maxRequestSize = 16L * 1024 * 1024;
            // Jetty's per-connection header cache matches values case-insensitively by default, so a second
            // request on a kept-alive connection could be handed the first one's Authorization value
            config.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
        });
        routes();
    }

    /** Loads the schemas topic and starts serving HTTP. */
    public static SchemaRegistryServer start(RegistrySettings settings) {
        SchemaRegistryServer server = new SchemaRegistryServer(settings);
        try {
            server.app.start();
        } catch (RuntimeException e) {
            server.log.close();
            throw e;
        }
        LOG.info("Schema registry listening on {}", server.url());
        return server;
    }

    /** The base URL, for {@code schema.registry.url}. */
    public String url() {
        return "http://" + settings.host() + ":" + app.port();
    }

    /** Stops serving, finishing requests in flight, then closes the store. */
    @Override
    public void close() {
        app.stop();
        log.close();
    }

    private void routes() {
        app.before(this::authenticate);
        app.get("/", ctx -> json(ctx, 200, Map.of()));
        app.get("/schemas/types", ctx -> json(ctx, 200, List.of("AVRO")));
        app.get("/schemas/ids/{id}", ctx -> json(ctx, 200, Map.of("schema", schemaById(ctx))));
        app.get("/schemas/ids/{id}/schema", ctx -> raw(ctx, schemaById(ctx)));
        app.get("/schemas/ids/{id}/subjects", ctx -> json(ctx, 200, read(() -> {
            int id = schemaId(ctx);
            return state.usages(id).stream().map(SchemaVersion::subject).distinct().toList();
        })));
        app.get("/schemas/ids/{id}/versions", ctx -> json(ctx, 200, read(() -> {
            int id = schemaId(ctx);
            return state.usages(id).stream()
                    .map(v -> Map.of("subject", v.subject(), "version", v.version())).toList();
        })));
        app.get("/subjects", ctx -> json(ctx, 200, read(state::subjects)));
        app.get("/subjects/{subject}/versions", ctx -> json(ctx, 200, read(() ->
                existingVersions(ctx.pathParam("subject")).stream().map(SchemaVersion::version).toList())));
        app.get("/subjects/{subject}/versions/{version}", ctx -> json(ctx, 200,
                describe(read(() -> version(ctx.pathParam("subject"), ctx.pathParam("version"))))));
        app.get("/subjects/{subject}/versions/{version}/schema", ctx -> raw(ctx,
                read(() -> version(ctx.pathParam("subject"), ctx.pathParam("version"))).schema()));
        app.post("/subjects/{subject}/versions", this::register);
        app.post("/subjects/{subject}", this::lookup);
        app.post("/compatibility/subjects/{subject}/versions/{version}", this::checkCompatibility);
        app.post("/compatibility/subjects/{subject}/versions", this::checkCompatibility);
        app.get("/config", ctx -> json(ctx, 200,
                Map.of("compatibilityLevel", read(state::globalLevel).name())));
        app.put("/config", ctx -> json(ctx, 200, Map.of("compatibility", updateLevel(null, ctx).name())));
        app.get("/config/{subject}", this::subjectLevel);
        app.put("/config/{subject}", ctx -> json(ctx, 200,
                Map.of("compatibility", updateLevel(ctx.pathParam("subject"), ctx).name())));
        app.delete("/config/{subject}", this::deleteSubjectLevel);

        app.exception(RegistryException.class, (e, ctx) -> error(ctx, e.error(), e.getMessage()));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("Schema registry failed on {} {}", ctx.method(), ctx.path(), e);
            error(ctx, RegistryError.BACKEND_STORE, "Internal error: " + e.getClass().getSimpleName());
        });
        app.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                error(ctx, RegistryError.NOT_FOUND, "HTTP 404 Not Found");
            }
        });
        app.error(405, ctx -> error(ctx, RegistryError.METHOD_NOT_ALLOWED, "HTTP 405 Method Not Allowed"));
    }

    private void authenticate(Context ctx) {
        Optional<String> expected = settings.basicAuth();
        if (expected.isEmpty() || ctx.method() == HandlerType.OPTIONS) {
            return;
        }
        String header = ctx.header("Authorization");
        String given = "";
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                given = new String(java.util.Base64.getDecoder().decode(header.substring(6).trim()),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                given = "";
            }
        }
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expected.get().getBytes(StandardCharsets.UTF_8))) {
            ctx.header("WWW-Authenticate", "Basic realm=\"schema-registry\"");
            throw new RegistryException(RegistryError.UNAUTHORIZED, "Unauthorized");
        }
    }

    private void register(Context ctx) {
        String subject = ctx.pathParam("subject");
        Schema schema = parseSchemaBody(ctx);
        String canonical = schema.toString();
        synchronized (writeLock) {
            Optional<SchemaVersion> existing = state.find(subject, canonical);
            if (existing.isPresent()) {
                json(ctx, 200, Map.of("id", existing.get().id()));
                return;
            }
            List<String> problems = state.effectiveLevel(subject).incompatibilities(schema, earlierSchemas(subject));
            if (!problems.isEmpty()) {
                throw new RegistryException(RegistryError.INCOMPATIBLE_SCHEMA,
                        "Schema being registered is incompatible with an earlier schema for subject \"" + subject
                                + "\", details: " + problems);
            }
            int version = state.latest(subject).map(v -> v.version() + 1).orElse(1);
            SchemaVersion registered = new SchemaVersion(subject, version, state.idFor(canonical), canonical);
            log.append(registered);
            state.apply(registered);
            LOG.info("Registered schema id {} as version {} of subject {}", registered.id(), version, subject);
            json(ctx, 200, Map.of("id", registered.id()));
        }
    }

    private void lookup(Context ctx) {
        String subject = ctx.pathParam("subject");
        String canonical = parseSchemaBody(ctx).toString();
        SchemaVersion found = read(() -> {
            existingVersions(subject);
            return state.find(subject, canonical).orElseThrow(() ->
                    new RegistryException(RegistryError.SCHEMA_NOT_FOUND, "Schema not found"));
        });
        json(ctx, 200, describe(found));
    }

    private void checkCompatibility(Context ctx) {
        String subject = ctx.pathParam("subject");
        Schema schema = parseSchemaBody(ctx);
        List<String> problems = read(() -> {
            String versionParam = ctx.pathParamMap().get("version");
            List<Schema> against;
            if (versionParam == null) {
                against = earlierSchemas(subject);
            } else if (state.versions(subject).isEmpty() && isLatest(versionParam)) {
                against = List.of();
            } else {
                against = List.of(parse(version(subject, versionParam).schema()));
            }
            CompatibilityLevel level = state.effectiveLevel(subject);
            if (versionParam != null && level != CompatibilityLevel.NONE) {
                level = nonTransitive(level);
            }
            return level.incompatibilities(schema, against);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("is_compatible", problems.isEmpty());
        if ("true".equalsIgnoreCase(ctx.queryParam("verbose"))) {
            body.put("messages", problems);
        }
        json(ctx, 200, body);
    }

    private void subjectLevel(Context ctx) {
        String subject = ctx.pathParam("subject");
        boolean defaultToGlobal = "true".equalsIgnoreCase(ctx.queryParam("defaultToGlobal"));
        CompatibilityLevel level = read(() -> state.subjectLevel(subject)
                .or(() -> defaultToGlobal ? Optional.of(state.globalLevel()) : Optional.empty())
                .orElseThrow(() -> new RegistryException(RegistryError.SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED,
                        "Subject '" + subject + "' does not have subject-level compatibility configured")));
        json(ctx, 200, Map.of("compatibilityLevel", level.name()));
    }

    private CompatibilityLevel updateLevel(String subject, Context ctx) {
        JsonNode body = parseBody(ctx);
        JsonNode requested = body.path("compatibility");
        Optional<CompatibilityLevel> level = requested.isTextual()
                ? CompatibilityLevel.parse(requested.asText()) : Optional.empty();
        if (level.isEmpty()) {
            throw new RegistryException(RegistryError.INVALID_COMPATIBILITY_LEVEL,
                    "Invalid compatibility level. Valid values are none, backward, forward, full, "
                            + "backward_transitive, forward_transitive, and full_transitive");
        }
        synchronized (writeLock) {
            log.appendLevel(subject, level.get());
            state.applyLevel(subject, level.get());
        }
        return level.get();
    }

    private void deleteSubjectLevel(Context ctx) {
        String subject = ctx.pathParam("subject");
        synchronized (writeLock) {
            CompatibilityLevel previous = state.subjectLevel(subject).orElseThrow(() ->
                    new RegistryException(RegistryError.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found."));
            log.appendLevel(subject, null);
            state.applyLevel(subject, null);
            json(ctx, 200, Map.of("compatibilityLevel", previous.name()));
        }
    }

    private String schemaById(Context ctx) {
        return read(() -> {
            int id = schemaId(ctx);
            return state.schema(id).orElseThrow(() ->
                    new RegistryException(RegistryError.SCHEMA_NOT_FOUND, "Schema " + id + " not found"));
        });
    }

    private static int schemaId(Context ctx) {
        String text = ctx.pathParam("id");
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new RegistryException(RegistryError.SCHEMA_NOT_FOUND, "Schema " + text + " not found");
        }
    }

    private List<SchemaVersion> existingVersions(String subject) {
        List<SchemaVersion> versions = state.versions(subject);
        if (versions.isEmpty()) {
            throw new RegistryException(RegistryError.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
        }
        return versions;
    }

    private SchemaVersion version(String subject, String versionText) {
        List<SchemaVersion> versions = existingVersions(subject);
        if (isLatest(versionText)) {
            return versions.get(versions.size() - 1);
        }
        int version;
        try {
            version = Integer.parseInt(versionText);
        } catch (NumberFormatException e) {
            version = 0;
        }
        if (version < 1) {
            throw new RegistryException(RegistryError.INVALID_VERSION, "The specified version '" + versionText
                    + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
        }
        int wanted = version;
        return state.version(subject, wanted).orElseThrow(() ->
                new RegistryException(RegistryError.VERSION_NOT_FOUND, "Version " + wanted + " not found."));
    }

    private static boolean isLatest(String versionText) {
        return "latest".equals(versionText) || "-1".equals(versionText);
    }

    private List<Schema> earlierSchemas(String subject) {
        List<Schema> schemas = new ArrayList<>();
        for (SchemaVersion version : state.versions(subject)) {
            schemas.add(parse(version.schema()));
        }
        return schemas;
    }

    private static CompatibilityLevel nonTransitive(CompatibilityLevel level) {
        return switch (level) {
            case BACKWARD_TRANSITIVE -> CompatibilityLevel.BACKWARD;
            case FORWARD_TRANSITIVE -> CompatibilityLevel.FORWARD;
            case FULL_TRANSITIVE -> CompatibilityLevel.FULL;
            default -> level;
        };
    }

    private static Map<String, Object> describe(SchemaVersion version) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subject", version.subject());
        body.put("version", version.version());
        body.put("id", version.id());
        body.put("schema", version.schema());
        return body;
    }

    private static Schema parseSchemaBody(Context ctx) {
        JsonNode body = parseBody(ctx);
        JsonNode schemaType = body.path("schemaType");
        if (!schemaType.isMissingNode() && !schemaType.isNull() && !"AVRO".equals(schemaType.asText())) {
            throw new RegistryException(RegistryError.INVALID_SCHEMA,
                    "Invalid schema: schema type " + schemaType.asText() + " is not supported; only AVRO is");
        }
        JsonNode references = body.path("references");
        if (references.isArray() && !references.isEmpty()) {
            throw new RegistryException(RegistryError.INVALID_SCHEMA,
                    "Invalid schema: schema references are not supported by this registry");
        }
        JsonNode schema = body.path("schema");
        if (!schema.isTextual()) {
            throw new RegistryException(RegistryError.INVALID_SCHEMA,
                    "Invalid schema: the request body must have a string field \"schema\"");
        }
        return parse(schema.asText());
    }

    private static Schema parse(String text) {
        try {
            return new Schema.Parser().parse(text);
        } catch (RuntimeException e) {
            throw new RegistryException(RegistryError.INVALID_SCHEMA, "Invalid schema: " + e.getMessage());
        }
    }

    private static JsonNode parseBody(Context ctx) {
        try {
            JsonNode body = JSON.readTree(ctx.body());
            if (body == null || !body.isObject()) {
                throw new RegistryException(RegistryError.UNPROCESSABLE, "The request body must be a JSON object");
            }
            return body;
        } catch (JsonProcessingException e) {
            throw new RegistryException(RegistryError.BAD_REQUEST, "Malformed JSON: " + e.getOriginalMessage());
        }
    }

    private <T> T read(java.util.function.Supplier<T> query) {
        synchronized (writeLock) {
            return query.get();
        }
    }

    private static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType(MEDIA_TYPE).result(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void raw(Context ctx, String schema) {
        ctx.status(200).contentType(MEDIA_TYPE).result(schema);
    }

    private static void error(Context ctx, RegistryError error, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", error.code());
        body.put("message", message);
        json(ctx, error.status(), body);
    }
}
