package io.cxpulse.common.problem;

import java.util.Locale;

/**
 * The one vocabulary of RFC 7807 problem types that both services answer with. A type's URI is
 * {@code /problems/<slug>}, a reference relative to the service that answered; its slug is also the {@code reason}
 * label of ingest's rejection metrics. docs/api.md lists them, and a test holds that list against this one.
 */
public enum ProblemType {
    MALFORMED_BODY(400, "Malformed body"),
    BAD_PARAMETER(400, "Bad query parameter"),
    UNAUTHORIZED(401, "Unauthorized"),
    FORBIDDEN(403, "Event type not allowed for this source"),
    NOT_FOUND(404, "Not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    TOO_LARGE(413, "Request too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    RATE_LIMITED(429, "Too many events"),
    INTERNAL_ERROR(500, "Internal error"),
    KAFKA_UNAVAILABLE(503, "Events not stored"),
    REGISTRY_UNAVAILABLE(503, "Events not stored: schemas unknown"),
    NOT_READY(503, "State not queryable yet");

    private final int status;
    private final String title;

    ProblemType(int status, String title) {
        this.status = status;
        this.title = title;
    }

    /** The HTTP status this type is answered with. */
    public int status() {
        return status;
    }

    /** A short, fixed summary of the type. */
    public String title() {
        return title;
    }

    /** The type's name in its URI and in metrics: {@code not_found}. */
    public String slug() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type's URI, {@code /problems/<slug>}. */
    public String uri() {
        return "/problems/" + slug();
    }
}
