package io.cxpulse.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.cxpulse.common.Draining;
import io.cxpulse.common.problem.Answers;
import io.cxpulse.ingest.publish.Preparation;
import io.javalin.http.Context;

import org.apache.kafka.clients.admin.Admin;

/**
 * What operators and tools ask the ingest service: liveness, readiness (Kafka reachable and the schemas
 * registered), Prometheus metrics, the OpenAPI document, and the timing of every request.
 */
final class OperationsEndpoints {
    private static final String START = "cxpulse.start";

    private final Admin admin;
    private final Preparation preparation;
    private final IngestMetrics metrics;
    private final Draining draining;

    OperationsEndpoints(Admin admin, Preparation preparation, IngestMetrics metrics, Draining draining) {
        this.admin = admin;
        this.preparation = preparation;
        this.metrics = metrics;
        this.draining = draining;
    }

    void live(Context ctx) {
        Answers.json(ctx, 200, Map.of("status", "UP"));
    }

    void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }

    void startTimer(Context ctx) {
        ctx.attribute(START, System.nanoTime());
    }

    void ready(Context ctx) {
        Map<String, String> checks = new LinkedHashMap<>();
        if (draining.draining()) {
            // stopping: a load balancer takes this instance out while it still serves what reaches it
            checks.put("shutdown", "STOPPING");
            Answers.json(ctx, 503, Map.of("status", "DOWN", "checks", checks));
            return;
        }
        boolean kafka;
        try {
            kafka = !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            kafka = false;
        }
        checks.put("kafka", kafka ? "UP" : "DOWN");
        checks.put("schemas", preparation.schemasRegistered() ? "UP" : "DOWN");
        boolean up = kafka && preparation.schemasRegistered();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", checks);
        Answers.json(ctx, up ? 200 : 503, body);
    }

    void openApi(Context ctx) throws IOException {
        try (InputStream in = OperationsEndpoints.class.getResourceAsStream("/openapi.yaml")) {
            if (in == null) {
                throw new IOException("openapi.yaml is missing from the jar");
            }
            ctx.contentType("application/yaml").result(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    void recordRequest(Context ctx) {
        Long start = ctx.attribute(START);
        if (start == null) {
            return;
        }
        String route;
        try {
            route = ctx.endpointHandlerPath();
        } catch (RuntimeException e) {
            route = "NOT_FOUND";
        }
        if (route == null || route.isEmpty() || route.equals("*")) {
            route = "NOT_FOUND";
        }
        metrics.request(ctx.method().name(), route, ctx.statusCode(), Duration.ofNanos(System.nanoTime() - start));
    }
}
