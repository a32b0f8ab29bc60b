package io.cxpulse.common.problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An RFC 7807 problem: what went wrong with a request as a whole, answered as {@code application/problem+json}.
 *
 * @param type   the problem type, which gives the status and title
 * @param detail what happened with this request
 * @param errors per-field or per-parameter errors ({@code field}, {@code message}), in order; may be empty
 */
public record Problem(ProblemType type, String detail, List<Map<String, String>> errors) {
    /** The media type of a problem's body. */
    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(detail, "detail");
        errors = List.copyOf(errors);
    }

    /** A problem with no per-field errors. */
    public static Problem of(ProblemType type, String detail) {
        return new Problem(type, detail, List.of());
    }

    /** A problem with one error naming {@code field}. */
    public static Problem of(ProblemType type, String field, String detail) {
        return new Problem(type, detail, List.of(Map.of("field", field, "message", detail)));
    }

    public int status() {
        return type.status();
    }

    /** The JSON body, with {@code instance} set to the request path. */
    public Map<String, Object> body(String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.uri());
        body.put("title", type.title());
        body.put("status", type.status());
        body.put("detail", detail);
        body.put("instance", instance);
        if (!errors.isEmpty()) {
            body.put("errors", errors);
        }
        return body;
    }
}
