package io.cxpulse.streams.metrics;

import io.cxpulse.avro.DeadLetterReason;
import io.cxpulse.streams.intake.EventIntake;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What every event type's metrics share: the intake counters ({@code cx_duplicate_events_total},
 * {@code cx_dead_letters_total}, {@code cx_late_events_total}, labelled with the type), and a board of the
 * latest windows its tasks report.
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
    public java.util.OptionalLong streamTime() {
        return board.streamTime();
    }
}
