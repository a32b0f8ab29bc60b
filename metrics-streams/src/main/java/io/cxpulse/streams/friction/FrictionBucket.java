package io.cxpulse.streams.friction;

import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;

import io.cxpulse.avro.FrictionSignal;
import io.cxpulse.avro.Outcome;
import io.cxpulse.avro.TouchpointEvent;
import io.cxpulse.streams.window.BucketWindows;
import io.cxpulse.streams.window.DurationSketch;

/**
 * What happened at one touchpoint in one bucket of event time, or the sum of such buckets; every field adds.
 * <ul>
 *   <li>its events, by outcome, those with friction (a signal, or FAILED or ABANDONED), and each signal;</li>
 *   <li>the step durations (a sketch, for the median);</li>
 *   <li>channel switches (a journey's earliest visit on a channel other than its first, here; a late visit can
 *       move one, as a -1 here and a +1 elsewhere), repeated contacts (a FAILED or ABANDONED
 *       visit here followed within 7 days by a support contact), and journeys with REPEATED_INPUT here;</li>
 *   <li>NPS responses of customers who met friction here in the 7 days before, and of those who passed it
 *       cleanly, with their detractors.</li>
 * </ul>
 * Mutable; not thread-safe.
 */
public final class FrictionBucket implements BucketWindows.Additive<FrictionBucket> {
    /** The signals counted, in order. */
    public static final FrictionSignal[] SIGNALS = Arrays.stream(FrictionSignal.values())
            .filter(signal -> signal != FrictionSignal.UNKNOWN).toArray(FrictionSignal[]::new);
    static final int COUNTS = 13;
    private static final int EVENTS = 0;
    private static final int COMPLETED = 1;
    private static final int FAILED = 2;
    private static final int ABANDONED = 3;
    private static final int WITH_FRICTION = 4;
    private static final int CHANNEL_SWITCHES = 5;
    private static final int REPEATED_CONTACTS = 6;
    private static final int REPEATED_INPUT_JOURNEYS = 7;
    private static final int FRICTION_RESPONSES = 8;
    private static final int FRICTION_DETRACTORS = 9;
    private static final int CLEAN_RESPONSES = 10;
    private static final int CLEAN_DETRACTORS = 11;
    private static final int WITH_DURATION = 12;

    private final long[] counts;
    private final long[] signals;
    private final DurationSketch durations;

    FrictionBucket(long[] counts, long[] signals, DurationSketch durations) {
        this.counts = counts;
        this.signals = signals;
        this.durations = durations;
    }

    public static FrictionBucket empty() {
        return new FrictionBucket(new long[COUNTS], new long[SIGNALS.length], DurationSketch.empty());
    }

    /** Whether {@code event} met friction: it carries a signal, or ended FAILED or ABANDONED. */
    public static boolean hasFriction(TouchpointEvent event) {
        return !event.getFrictionSignals().isEmpty() || event.getOutcome() != Outcome.COMPLETED;
    }

    /** A bucket of one event. */
    static FrictionBucket of(TouchpointEvent event) {
        FrictionBucket bucket = empty();
        bucket.counts[EVENTS] = 1;
        switch (event.getOutcome()) {
            case COMPLETED -> bucket.counts[COMPLETED] = 1;
            case FAILED -> bucket.counts[FAILED] = 1;
            case ABANDONED -> bucket.counts[ABANDONED] = 1;
            default -> {
            }
        }
        bucket.counts[WITH_FRICTION] = hasFriction(event) ? 1 : 0;
        for (FrictionSignal signal : event.getFrictionSignals().stream().distinct().toList()) {
            bucket.signals[signal.ordinal()]++;
        }
        if (event.getDurationMs() != null) {
            bucket.durations.add(Duration.ofMillis(event.getDurationMs()));
            bucket.counts[WITH_DURATION] = 1;
        }
        return bucket;
    }

    static FrictionBucket channelSwitch() {
        return single(CHANNEL_SWITCHES);
    }

    /** A channel switch counted here that a late visit moved elsewhere: taken back. */
    static FrictionBucket channelSwitchTakenBack() {
        FrictionBucket bucket = empty();
        bucket.counts[CHANNEL_SWITCHES] = -1;
        return bucket;
    }

    static FrictionBucket repeatedContact() {
        return single(REPEATED_CONTACTS);
    }

    /** A repeated contact counted here that an earlier contact, arriving later, moved to its own time: taken back. */
    static FrictionBucket repeatedContactTakenBack() {
        FrictionBucket bucket = empty();
        bucket.counts[REPEATED_CONTACTS] = -1;
        return bucket;
    }

    static FrictionBucket repeatedInputJourney() {
        return single(REPEATED_INPUT_JOURNEYS);
    }

    /** One NPS response of a customer who met friction here (or passed cleanly), and whether a detractor. */
    static FrictionBucket response(boolean metFriction, boolean detractor) {
        FrictionBucket bucket = single(metFriction ? FRICTION_RESPONSES : CLEAN_RESPONSES);
        if (detractor) {
            bucket.counts[metFriction ? FRICTION_DETRACTORS : CLEAN_DETRACTORS] = 1;
        }
        return bucket;
    }

    /**
     * An NPS response counted as passed cleanly here that met friction here after all (a touchpoint before it
     * arrived late): taken out of the clean group and added to the friction group.
     */
    static FrictionBucket movedToFriction(boolean detractor) {
        FrictionBucket bucket = response(true, detractor);
        bucket.counts[CLEAN_RESPONSES] = -1;
        if (detractor) {
            bucket.counts[CLEAN_DETRACTORS] = -1;
        }
        return bucket;
    }

    private static FrictionBucket single(int index) {
        FrictionBucket bucket = empty();
        bucket.counts[index] = 1;
        return bucket;
    }

    @Override
    public FrictionBucket addAll(FrictionBucket other) {
        for (int i = 0; i < COUNTS; i++) {
            counts[i] += other.counts[i];
        }
        for (int i = 0; i < signals.length; i++) {
            signals[i] += other.signals[i];
        }
        durations.merge(other.durations);
        return this;
    }

    public FrictionBucket copy() {
        return new FrictionBucket(counts.clone(), signals.clone(), durations.copy());
    }

    public long events() {
        return counts[EVENTS];
    }

    public long completed() {
        return counts[COMPLETED];
    }

    public long failed() {
        return counts[FAILED];
    }

    public long abandoned() {
        return counts[ABANDONED];
    }

    public long withFriction() {
        return counts[WITH_FRICTION];
    }

    /** Events carrying {@code signal}. */
    public long signal(FrictionSignal signal) {
        return signals[signal.ordinal()];
    }

    public long channelSwitches() {
        return counts[CHANNEL_SWITCHES];
    }

    public long repeatedContacts() {
        return counts[REPEATED_CONTACTS];
    }

    public long repeatedInputJourneys() {
        return counts[REPEATED_INPUT_JOURNEYS];
    }

    public long frictionResponses() {
        return counts[FRICTION_RESPONSES];
    }

    public long frictionDetractors() {
        return counts[FRICTION_DETRACTORS];
    }

    public long cleanResponses() {
        return counts[CLEAN_RESPONSES];
    }

    public long cleanDetractors() {
        return counts[CLEAN_DETRACTORS];
    }

    /** Events with friction over events, or null with no events. */
    public Double frictionRate() {
        return counts[EVENTS] == 0 ? null : (double) counts[WITH_FRICTION] / counts[EVENTS];
    }

    /** The median step duration in seconds (within the sketch's 1 %), or null with no durations. */
    public Double medianDurationSeconds() {
        return durations.count() == 0 ? null : durations.quantileSeconds(0.5);
    }

    /**
     * The detractor share of responses from customers who met friction here minus that of customers who passed
     * cleanly, or null when either group is empty.
     */
    public Double detractorLift() {
        if (frictionResponses() == 0 || cleanResponses() == 0) {
            return null;
        }
        return (double) frictionDetractors() / frictionResponses() - (double) cleanDetractors() / cleanResponses();
    }

    /**
     * The two-proportion z statistic of the lift, with the pooled share; null when either group is empty or the
     * pooled share is 0 or 1 (no variance).
     */
    public Double liftZ() {
        Double lift = detractorLift();
        if (lift == null) {
            return null;
        }
        double n1 = frictionResponses();
        double n2 = cleanResponses();
        double pooled = (frictionDetractors() + cleanDetractors()) / (n1 + n2);
        double variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
        return variance <= 0 ? null : lift / Math.sqrt(variance);
    }

    /**
     * The order in which touchpoints are ranked by what they do to detractors: lifts that are significant and
     * positive (meeting friction there makes detractors) first, then every other lift from the highest down, so a
     * significantly negative lift (customers who met friction there are happier) ranks below every positive one.
     * Buckets without a lift must be left out first.
     */
    public static Comparator<FrictionBucket> byDetractorLift(int minResponses, double z) {
        return Comparator.comparing((FrictionBucket bucket) -> bucket.liftSignificant(minResponses, z)
                && bucket.detractorLift() > 0).reversed()
                .thenComparing(FrictionBucket::detractorLift, Comparator.reverseOrder());
    }

    /** Whether both groups have at least {@code minResponses} and the lift's |z| is at least {@code z}. */
    public boolean liftSignificant(int minResponses, double z) {
        Double liftZ = liftZ();
        return liftZ != null && frictionResponses() >= minResponses && cleanResponses() >= minResponses
                && Math.abs(liftZ) >= z;
    }

    long[] counts() {
        return counts;
    }

    long[] signals() {
        return signals;
    }

    DurationSketch durations() {
        return durations;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FrictionBucket that && Arrays.equals(counts, that.counts)
                && Arrays.equals(signals, that.signals) && durations.equals(that.durations);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts) * 31 + Arrays.hashCode(signals);
    }
}
