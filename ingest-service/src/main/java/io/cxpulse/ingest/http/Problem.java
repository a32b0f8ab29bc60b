package io.cxpulse.ingest.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 7807 problem: what went wrong with a request as a whole, sent as {@code application/problem+json}.
 *
 * @param slug   names the problem type, {@code /problems/<slug>}; also the rejection reason in metrics
 * @param title  a short, fixed summary of the problem type
 * @param status the HTTP status
 * @param detail what happened with this request
 */
public record Problem(String slug, String title, int status, String detail) {
    public static final String MEDIA_TYPE = "application/problem+json";

    /** The JSON body, with {@code instance} set to the request path. */
    public Map<String, Object> body(String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "/problems/" + slug);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", instance);
        return body;
    }

    public static Problem unauthorized() {
        return new Problem("unauthorized", "Unauthorized", 401,
                "Send Authorization: Bearer <token> with a token configured for your source");
    }

    public static Problem forbidden(String source, String type) {
        return new Problem("forbidden", "Event type not allowed for this source", 403,
                "Source '" + source + "' may not send " + type + " events");
    }

    public static Problem tooLarge(String detail) {
        return new Problem("too_large", "Request too large", 413, detail);
    }

    public static Problem unsupportedMediaType(String contentType) {
        return new Problem("unsupported_media_type", "Unsupported media type", 415,
                "Content-Type must be application/json or application/x-ndjson, not "
                        + (contentType == null ? "missing" : "'" + contentType + "'"));
    }

    public static Problem malformed(String detail) {
        return new Problem("malformed_body", "Malformed body", 400, detail);
    }

    public static Problem rateLimited(String source, long retryAfterSeconds) {
        return new Problem("rate_limited", "Too many events", 429, "Source '" + source
                + "' is over its configured event rate; retry after " + retryAfterSeconds + " s");
    }

    public static Problem kafkaUnavailable(String detail) {
        return new Problem("kafka_unavailable", "Events not stored", 503, detail);
    }

    public static Problem internal() {
        return new Problem("internal_error", "Internal error", 500,
                "The service failed to handle the request; nothing from it was stored");
    }

    public static Problem notFound(String path) {
        return new Problem("not_found", "Not found", 404, "No endpoint at " + path + "; see /openapi.yaml");
    }

    public static Problem methodNotAllowed(String method, String path) {
        return new Problem("method_not_allowed", "Method not allowed", 405, method + " is not allowed on " + path);
    }
}
