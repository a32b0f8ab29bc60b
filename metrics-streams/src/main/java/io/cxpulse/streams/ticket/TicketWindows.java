package io.cxpulse.streams.ticket;

import java.util.Map;

import io.cxpulse.streams.BucketWindows;
import io.cxpulse.streams.survey.RollingWindow;
import io.cxpulse.streams.survey.RollingWindow.Bucket;

import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * The ticket durations of each cell (the key) in minute and hour buckets of event time, each one-duration bucket
 * that {@link TicketStates} sends added at the time of the event that completed it; the rolling windows of the
 * cells that changed are reported to the observer.
 */
final class TicketWindows {
    static final String NAME = "ticket-windows";

    private TicketWindows() {
    }

    /** The window store of ticket buckets of {@code bucket}'s size; its name is part of the app's contract. */
    static String store(Bucket bucket) {
        return bucket == Bucket.MINUTE ? "ticket-durations-1m" : "ticket-durations-1h";
    }

    static BucketWindows<TicketBucket, Void> processor(TicketSettings settings, TicketObserver observer) {
        return new BucketWindows<>(Map.of(Bucket.MINUTE, store(Bucket.MINUTE), Bucket.HOUR, store(Bucket.HOUR)),
                TicketBucket::empty, key -> TicketCell.parse(key) != null, settings.emitInterval(),
                new BucketWindows.Emitter<>() {
                    @Override
                    public void begin(String task, long streamTime, ProcessorContext<String, Void> context) {
                        observer.streamTime(task, streamTime);
                    }

                    @Override
                    public void sum(String key, RollingWindow window, long end, TicketBucket sum,
                            ProcessorContext<String, Void> context) {
                        observer.window(context.taskId().toString(), TicketCell.parse(key), window, end, sum);
                    }

                    @Override
                    public void closed(String task) {
                        observer.closed(task);
                    }
                });
    }
}
