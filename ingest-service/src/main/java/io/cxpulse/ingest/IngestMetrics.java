package io.cxpulse.ingest;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.cxpulse.ingest.validation.FieldError;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.apache.kafka.clients.producer.Producer;

/**
 * The service's meters on one Prometheus registry: request timings, events by type and result, rejections by
 * reason, the producer's client metrics and the JVM's. Names are Micrometer's dotted ones; Prometheus sees
 * {@code cx_ingest_events_total}, {@code cx_ingest_rejections_total}, {@code http_server_requests_seconds}.
 */
public final class IngestMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Map<String, Counter> eventCounters = new ConcurrentHashMap<>();
    private final Map<String, Timer> requestTimers = new ConcurrentHashMap<>();
    private KafkaClientMetrics producerMetrics;

    public IngestMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Binds the producer's client metrics. */
    public void bindProducer(Producer<?, ?> producer) {
        producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(registry);
    }

    /** Counts events of {@code type} by result: accepted, rejected, or unavailable (Kafka did not acknowledge). */
    public void events(EventType type, String result, int count) {
        if (count > 0) {
            eventCounters.computeIfAbsent(type.label() + "/" + result, key -> Counter.builder("cx.ingest.events")
                    .description("Events received, by type and result")
                    .tag("type", type.label()).tag("result", result).register(registry)).increment(count);
        }
    }

    /** Counts a rejection: a field rule broken by one event, or a whole request refused. */
    public void rejection(String type, String reason) {
        Counter.builder("cx.ingest.rejections").description("Rejected events and requests, by reason")
                .tag("type", type).tag("reason", reason).register(registry).increment();
    }

    /** Counts the rule an event broke, once per rule per event. */
    public void rejection(EventType type, FieldError.Reason reason) {
        rejection(type.label(), reason.label());
    }

    /** Times one HTTP request by route template, method and status. */
    public void request(String method, String route, int status, Duration duration) {
        requestTimers.computeIfAbsent(method + " " + route + " " + status, key -> Timer.builder("http.server.requests")
                .description("HTTP requests by route and status")
                .tag("method", method).tag("uri", route).tag("status", Integer.toString(status))
                .publishPercentileHistogram()
                .register(registry)).record(duration);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        if (producerMetrics != null) {
            producerMetrics.close();
        }
        gc.close();
        registry.close();
    }
}
