package io.cxpulse.streams.metrics;

import java.util.OptionalLong;

import io.cxpulse.avro.DeadLetterReason;
import io.cxpulse.streams.intake.EventIntake;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What every event type's metrics share: the intake counters ({@code cx_duplicate_events_total},
 * {@code cx_dead_letters_total}, {@code cx_late_events_total}) and the stream time ({@code cx_stream_time_seconds}),
 * labelled with the type as ingest labels it (survey_response, ticket_event, touchpoint), and a board of the latest
 * windows its tasks report.
 *
 * @param <E> the event type
 * @param <K> what a window's figures are of
 * @param <V> the figures
 */
abstract class IntakeMeters<E, K, V> implements EventIntake.Observer<E> {
    protected final Meters meters;
    protected final TaskBoard<K, V> board = new TaskBoard<>();

    IntakeMeters(MeterRegistry registry, String type) {
        this.meters = new Meters(registry, type);
        Gauge.builder("cx.stream.time", this, meters -> {
                    OptionalLong streamTime = meters.streamTime();
                    return streamTime.isPresent() ? streamTime.getAsLong() / 1000.0 : Double.NaN;
                })
                .description("Stream time of the tasks here: the latest event time they have seen, as Unix time "
                        + "(NaN before the first event); time() minus it is how far the figures are behind")
                .baseUnit("seconds").tag("type", type).register(registry);
    }

    @Override
    public final void duplicate() {
        meters.duplicate();
    }

    @Override
    public final void deadLettered(DeadLetterReason reason) {
        meters.deadLettered(reason);
    }

    /** Records a task's stream time. */
    public void streamTime(String task, long streamTime) {
        board.streamTime(task, streamTime);
    }

    /** The latest event time the tasks here have seen, if any. */
    public OptionalLong streamTime() {
        return board.streamTime();
    }
}
