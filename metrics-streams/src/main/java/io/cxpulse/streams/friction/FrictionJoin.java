package io.cxpulse.streams.friction;

import java.util.ArrayList;
import java.util.List;

import io.cxpulse.streams.friction.CustomerHistory.Found;
import io.cxpulse.streams.friction.CustomerSignal.Opened;
import io.cxpulse.streams.friction.CustomerSignal.Response;
import io.cxpulse.streams.friction.CustomerSignal.Touch;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps each customer's {@link CustomerHistory} (the key is the customerId) and sends on, keyed by touchpoint and
 * timestamped in event time, what it makes countable: each touchpoint event, the channel switches, repeated inputs
 * and repeated contacts it completes, and for each NPS response one response per touchpoint the customer visited
 * in the history window before it, in the group that met friction there or the group that passed cleanly.
 *
 * <p>A response is joined when it arrives and kept for the grace period, so that a touchpoint timestamped before
 * it that arrives later is joined to it too (as a count at a touchpoint it had not reached, or as a move from
 * the clean group to the friction group): the counts do not depend on arrival order within grace.
 */
final class FrictionJoin implements Processor<String, CustomerSignal, String, FrictionBucket> {
    static final String NAME = "friction-join";
    /** Customer histories by customerId; its name is part of the app's contract. */
    static final String HISTORY_STORE = "friction-customer-history";
    private static final int DETRACTOR_MAX = 6;

    private final FrictionSettings settings;
    private final FrictionObserver observer;
    private ProcessorContext<String, FrictionBucket> context;
    private KeyValueStore<String, CustomerHistory> histories;

    FrictionJoin(FrictionSettings settings, FrictionObserver observer) {
        this.settings = settings;
        this.observer = observer;
    }

    @Override
    public void init(ProcessorContext<String, FrictionBucket> context) {
        this.context = context;
        this.histories = context.getStateStore(HISTORY_STORE);
        context.schedule(settings.sweepInterval(), PunctuationType.WALL_CLOCK_TIME, now -> sweep());
    }

    @Override
    public void process(Record<String, CustomerSignal> record) {
        String customer = record.key();
        if (customer == null) {
            return;
        }
        long history = settings.history().toMillis();
        CustomerHistory known = histories.get(customer);
        CustomerHistory customerHistory = known == null ? new CustomerHistory() : known;
        List<Found> found;
        if (record.value() instanceof Response response) {
            found = customerHistory.respond(response.response().getOccurredAt().toEpochMilli(),
                    response.response().getScore() <= DETRACTOR_MAX, history);
        } else if (record.value() instanceof Touch touch) {
            found = customerHistory.touch(touch.event(), history);
        } else {
            found = customerHistory.contact(((Opened) record.value()).at(), history);
        }
        for (Found count : found) {
            if (count.bucket().events() == 0) {
                observer.found(Touchpoint.parse(count.touchpoint()), count.bucket());
            }
            context.forward(new Record<>(count.touchpoint(), count.bucket(), count.at()));
        }
        customerHistory.prune(oldest(), keptSince(), settings.maxVisits(), settings.maxContacts());
        if (customerHistory.isEmpty()) {
            histories.delete(customer);
        } else {
            histories.put(customer, customerHistory);
        }
    }

    /** The oldest event time a history still needs: a late event within grace may look that far back. */
    private long oldest() {
        long streamTime = context.currentStreamTimeMs();
        return streamTime < 0 ? Long.MIN_VALUE
                : streamTime - settings.history().toMillis() - settings.grace().toMillis();
    }

    /** The oldest response time a late touchpoint can still reach: a touchpoint before it would be too late. */
    private long keptSince() {
        long streamTime = context.currentStreamTimeMs();
        return streamTime < 0 ? Long.MIN_VALUE : streamTime - settings.grace().toMillis();
    }

    /**
     * Removes the histories whose every visit and contact is past the retention, or that hold nothing but
     * responses past the grace period.
     */
    void sweep() {
        long oldest = oldest();
        if (oldest == Long.MIN_VALUE) {
            return;
        }
        long keptSince = keptSince();
        List<String> stale = new ArrayList<>();
        try (KeyValueIterator<String, CustomerHistory> all = histories.all()) {
            while (all.hasNext()) {
                KeyValue<String, CustomerHistory> entry = all.next();
                if (entry.value.latest() < oldest || entry.value.isSpentBy(keptSince)) {
                    stale.add(entry.key);
                }
            }
        }
        stale.forEach(histories::delete);
    }
}
