package io.cxpulse.streams.ticket;

import java.time.Instant;
import java.util.Map;

import io.cxpulse.avro.TicketAggregate;
import io.cxpulse.streams.window.BucketWindows;
import io.cxpulse.streams.window.RollingWindow;
import io.cxpulse.streams.window.RollingWindow.Bucket;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The ticket durations of each cell (the key) in minute and hour buckets of event time, each one-duration bucket
 * that {@link TicketLifecycleProcessor} sends added at the time of the event that completed it; the rolling
 * windows of the cells that changed are reported to the observer and sent on as {@link TicketAggregate}s, keyed
 * {@code cell|window}.
 */
final class TicketWindows {
    static final String NAME = "ticket-windows";

    private TicketWindows() {
    }

    /** The window store of ticket buckets of {@code bucket}'s size; its name is part of the app's contract. */
    static String store(Bucket bucket) {
        return bucket == Bucket.MINUTE ? "ticket-durations-1m" : "ticket-durations-1h";
    }

    static BucketWindows<TicketBucket, TicketAggregate> processor(TicketSettings settings, TicketObserver observer) {
        return new BucketWindows<>(Map.of(Bucket.MINUTE, store(Bucket.MINUTE), Bucket.HOUR, store(Bucket.HOUR)),
                TicketBucket::empty, key -> TicketCell.parse(key) != null, settings.emitInterval(),
                new BucketWindows.Emitter<>() {
                    private long streamTime;

                    @Override
                    public void begin(String task, long streamTime, ProcessorContext<String, TicketAggregate> context) {
                        this.streamTime = streamTime;
                        observer.streamTime(task, streamTime);
                    }

                    @Override
                    public void sum(String key, RollingWindow window, long end, TicketBucket sum,
                            ProcessorContext<String, TicketAggregate> context) {
                        TicketCell cell = TicketCell.parse(key);
                        observer.window(context.taskId().toString(), cell, window, end, sum);
                        context.forward(new Record<>(key + "|" + window.label(),
                                aggregate(cell, window, end, sum, context.currentSystemTimeMs()), streamTime));
                    }

                    @Override
                    public void closed(String task) {
                        observer.closed(task);
                    }
                });
    }

    static TicketAggregate aggregate(TicketCell cell, RollingWindow window, long end, TicketBucket sum, long now) {
        return TicketAggregate.newBuilder().setChannel(cell.channel()).setPriority(cell.priority())
                .setQueue(cell.queue()).setWindow(window.label())
                .setWindowStart(Instant.ofEpochMilli(end - window.length().toMillis()))
                .setWindowEnd(Instant.ofEpochMilli(end)).setFirstResponse(sum.firstResponse().figures())
                .setFirstResolution(sum.firstResolution().figures()).setFullResolution(sum.fullResolution().figures())
                .setResolved(sum.resolved()).setReopened(sum.reopened()).setOneTouch(sum.oneTouch())
                .setReopenRate(sum.reopenRate()).setOneTouchRate(sum.oneTouchRate())
                .setEmittedAt(Instant.ofEpochMilli(now)).build();
    }
}
