package io.cxpulse.common.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.javalin.http.Context;

/** Writes a service's JSON answers and its problems, in the vocabulary both services share. */
public final class Answers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Answers() {
    }

    /** Answers {@code body} as JSON with {@code status}. */
    public static void json(Context ctx, int status, Object body) {
        write(ctx, status, "application/json", body);
    }

    /** Answers {@code problem} as {@code application/problem+json}, its instance the request path. */
    public static void problem(Context ctx, Problem problem) {
        write(ctx, problem.status(), Problem.MEDIA_TYPE, problem.body(ctx.path()));
    }

    private static void write(Context ctx, int status, String contentType, Object body) {
        try {
            ctx.status(status).contentType(contentType).result(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
