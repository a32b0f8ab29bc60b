package io.cxpulse.streams.query;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.javalin.http.Context;

/** JSON answers: bodies, and RFC 7807 problems with per-field errors. */
public final class Problems {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {
    }

    public static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An {@code application/problem+json} answer. */
    public static void send(Context ctx, int status, String slug, String title, String detail,
            List<Map<String, String>> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://cxpulse.io/problems/" + slug);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", ctx.path());
        if (!errors.isEmpty()) {
            body.put("errors", errors);
        }
        json(ctx, status, body);
        ctx.contentType("application/problem+json");
    }
}
