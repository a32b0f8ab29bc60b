package io.cxpulse.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.cxpulse.common.problem.ProblemException;
import io.cxpulse.ingest.auth.RateLimiter;
import io.cxpulse.ingest.auth.Source;
import io.cxpulse.ingest.config.IngestConfig;
import io.cxpulse.ingest.http.BodyParser;
import io.cxpulse.ingest.http.Problems;
import io.cxpulse.ingest.http.ResultsBody;
import io.cxpulse.ingest.publish.EventPublisher;
import io.cxpulse.ingest.publish.EventPublisher.Outgoing;
import io.cxpulse.ingest.validation.EventValidator;
import io.cxpulse.ingest.validation.EventValidator.Accepted;
import io.cxpulse.ingest.validation.EventValidator.Rejected;
import io.cxpulse.ingest.validation.EventValidator.Result;
import io.cxpulse.ingest.validation.FieldError;
import io.javalin.http.Context;

/**
 * {@code POST /v1/<type>}: authenticates the source, reads and checks the body's events, publishes the accepted
 * ones and answers (202, 207 or 422 with a result per event, in request order) only once Kafka has acknowledged
 * every one of them. A request refused as a whole is thrown as a {@link ProblemException}, with the event type in
 * the request's {@link #TYPE} attribute for the rejection metrics.
 */
final class IngestEndpoint {
    /** The request attribute that holds the {@link EventType} of an ingest request. */
    static final String TYPE = "cxpulse.type";
    /** About the size of a small event in JSON, to size an answer's body from the request's. */
    private static final int EXPECTED_EVENT_BYTES = 100;

    private final IngestConfig config;
    private final Clock clock;
    private final EventValidator validator;
    private final EventPublisher publisher;
    private final IngestMetrics metrics;
    private final RateLimiter rateLimiter;

    IngestEndpoint(IngestConfig config, Clock clock, EventValidator validator, EventPublisher publisher,
            IngestMetrics metrics) {
        this.config = config;
        this.clock = clock;
        this.validator = validator;
        this.publisher = publisher;
        this.metrics = metrics;
        this.rateLimiter = new RateLimiter(config.rateLimit(), config.maxEvents());
    }

    void handle(Context ctx, EventType type) {
        ctx.attribute(TYPE, type);
        Source source = config.authenticator().authenticate(ctx.header("Authorization"))
                .orElseThrow(() -> new ProblemException(Problems.unauthorized(),
                        Map.of("WWW-Authenticate", "Bearer realm=\"cxpulse-ingest\"")));
        if (!source.mayPublish(type)) {
            throw new ProblemException(Problems.forbidden(source.name(), type.path()));
        }
        Batch batch = readEvents(ctx, type, source);
        rateLimiter.acquire(source, batch.events);
        countRejections(type, batch.rejected);
        metrics.events(type, "rejected", batch.rejected.size());
        if (!batch.outgoing.isEmpty()) {
            publish(type, batch.outgoing);
        }
        int status = batch.rejected.isEmpty() ? 202 : batch.outgoing.isEmpty() ? 422 : 207;
        // handed to Jetty in one piece, not through Javalin's compressing stream
        ctx.status(status).contentType("application/json").result(batch.body.finish(batch.outgoing.size()));
    }

    /**
     * A request's events as they are read: the accepted ones' records encoded for Kafka, the rejected ones, and
     * the answer's body. Each event is encoded and answered as soon as its result is final, while it is still in
     * the CPU's caches, rather than after the whole body was read; an accepted event's checked values are then
     * dropped, not held until Kafka has acknowledged the request.
     */
    private final class Batch implements Consumer<Result> {
        private final String topic;
        private final List<Outgoing> outgoing = new ArrayList<>();
        private final List<Rejected> rejected = new ArrayList<>();
        private final ResultsBody body;
        private int events;

        Batch(EventType type, int expectedEvents) {
            this.topic = config.topics().get(type);
            this.body = new ResultsBody(expectedEvents);
        }

        @Override
        public void accept(Result result) {
            if (result instanceof Accepted accepted) {
                outgoing.add(new Outgoing(topic, accepted.key(), publisher.encode(topic, accepted)));
            } else {
                rejected.add((Rejected) result);
            }
            body.add(result);
        }
    }

    /**
     * The request's events, checked as the body streams past. Every event of a request is stamped with one
     * {@code receivedAt}, read as its body starts to be read, which is also the time its {@code occurredAt} is
     * checked against.
     */
    private Batch readEvents(Context ctx, EventType type, Source source) {
        BodyParser.Format format = BodyParser.format(ctx.contentType())
                .orElseThrow(() -> new ProblemException(Problems.unsupportedMediaType(ctx.contentType())));
        Instant receivedAt = clock.instant();
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = BodyParser.read(in, ctx.req().getContentLengthLong(), config.maxBodyBytes());
            Batch batch = new Batch(type, Math.min(config.maxEvents(), body.length / EXPECTED_EVENT_BYTES + 1));
            batch.events = BodyParser.events(body, format, config.maxEvents(),
                    parser -> validator.validate(type, parser, source.name(), receivedAt),
                    error -> new Rejected(null, List.of(new FieldError("", error, FieldError.Reason.MALFORMED_JSON))),
                    batch);
            return batch;
        } catch (IOException e) {
            throw new ProblemException(Problems.malformed("The body could not be read to its end: "
                    + e.getMessage()));
        }
    }

    /** Counts each rule a rejected event broke. */
    private void countRejections(EventType type, List<Rejected> rejected) {
        for (Rejected event : rejected) {
            event.errors().stream().map(FieldError::reason).distinct()
                    .forEach(reason -> metrics.rejection(type, reason));
        }
    }

    /**
     * Sends every record and waits for Kafka; a 503 with Retry-After unless it acknowledged every one in time, and
     * without sending anything when the events could not be written for want of their schema's id.
     */
    private void publish(EventType type, List<Outgoing> outgoing) {
        if (outgoing.stream().anyMatch(record -> record.value() == null)) {
            // the schema's id is not known yet (not registered: the registry has not answered since the start)
            metrics.events(type, "unavailable", outgoing.size());
            throw new ProblemException(Problems.registryUnavailable("The schema of " + type.path() + " is not "
                    + "registered yet and the schema registry does not answer: none of this request's events was "
                    + "sent. Retry the request."), Map.of("Retry-After", "5"));
        }
        int unacknowledged = publisher.sendAll(outgoing, config.ackTimeout());
        if (unacknowledged == 0) {
            metrics.events(type, "accepted", outgoing.size());
            return;
        }
        metrics.events(type, "unavailable", outgoing.size());
        throw new ProblemException(Problems.kafkaUnavailable("Kafka did not acknowledge " + unacknowledged + " of "
                + outgoing.size() + " events within " + config.ackTimeout().toMillis() + " ms; none of this "
                + "request's events may be counted as stored. Retry the request: events that carry an eventId "
                + "are counted once downstream."), Map.of("Retry-After", "5"));
    }
}
