package io.cxpulse.ingest.http;

import io.cxpulse.common.problem.Problem;
import io.cxpulse.common.problem.ProblemType;

/** The problems ingest answers a request with as a whole, with their details. */
public final class Problems {
    private Problems() {
    }

    public static Problem unauthorized() {
        return Problem.of(ProblemType.UNAUTHORIZED,
                "Send Authorization: Bearer <token> with a token configured for your source");
    }

    public static Problem forbidden(String source, String type) {
        return Problem.of(ProblemType.FORBIDDEN, "Source '" + source + "' may not send " + type + " events");
    }

    public static Problem tooLarge(String detail) {
        return Problem.of(ProblemType.TOO_LARGE, detail);
    }

    public static Problem unsupportedMediaType(String contentType) {
        return Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                "Content-Type must be application/json or application/x-ndjson, not "
                        + (contentType == null ? "missing" : "'" + contentType + "'"));
    }

    public static Problem malformed(String detail) {
        return Problem.of(ProblemType.MALFORMED_BODY, detail);
    }

    public static Problem rateLimited(String source, long retryAfterSeconds) {
        return Problem.of(ProblemType.RATE_LIMITED, "Source '" + source
                + "' is over its configured event rate; retry after " + retryAfterSeconds + " s");
    }

    public static Problem kafkaUnavailable(String detail) {
        return Problem.of(ProblemType.KAFKA_UNAVAILABLE, detail);
    }

    public static Problem registryUnavailable(String detail) {
        return Problem.of(ProblemType.REGISTRY_UNAVAILABLE, detail);
    }

    public static Problem internal() {
        return Problem.of(ProblemType.INTERNAL_ERROR,
                "The service failed to handle the request; nothing from it was stored");
    }

    public static Problem notFound(String path) {
        return Problem.of(ProblemType.NOT_FOUND, "No endpoint at " + path + "; see /openapi.yaml");
    }

    public static Problem methodNotAllowed(String method, String path) {
        return Problem.of(ProblemType.METHOD_NOT_ALLOWED, method + " is not allowed on " + path);
    }
}
