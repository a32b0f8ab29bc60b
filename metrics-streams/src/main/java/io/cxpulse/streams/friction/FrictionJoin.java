package io.cxpulse.streams.friction;

import java.util.List;
import java.util.Map;

import io.cxpulse.avro.SurveyResponse;
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
 * <p>A response is joined to the touchpoints that have arrived when it does: a touchpoint that arrives after the
 * response, though timestamped before it, is not joined to it.
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
        if (record.value() instanceof Response response) {
            if (known != null) {
                joinResponse(response.response(), known, history);
            }
            return;
        }
        CustomerHistory customerHistory = known == null ? new CustomerHistory() : known;
        List<Found> found = record.value() instanceof Touch touch ? customerHistory.touch(touch.event(), history)
                : customerHistory.contact(((Opened) record.value()).at(), history);
        for (Found count : found) {
            if (count.bucket().events() == 0) {
                observer.found(Touchpoint.parse(count.touchpoint()), count.bucket());
            }
            context.forward(new Record<>(count.touchpoint(), count.bucket(), count.at()));
        }
        customerHistory.prune(oldest(), settings.maxVisits(), settings.maxContacts());
        if (customerHistory.isEmpty()) {
            histories.delete(customer);
        } else {
            histories.put(customer, customerHistory);
        }
    }

    private void joinResponse(SurveyResponse response, CustomerHistory history, long window) {
        long at = response.getOccurredAt().toEpochMilli();
        boolean detractor = response.getScore() <= DETRACTOR_MAX;
        for (Map.Entry<String, Boolean> visited : history.before(at, window).entrySet()) {
            context.forward(new Record<>(visited.getKey(), FrictionBucket.response(visited.getValue(), detractor),
                    at));
        }
    }

    /** The oldest event time a history still needs: a late event within grace may look that far back. */
    private long oldest() {
        long streamTime = context.currentStreamTimeMs();
        return streamTime < 0 ? Long.MIN_VALUE
                : streamTime - settings.history().toMillis() - settings.grace().toMillis();
    }

    /** Removes the histories whose every visit and contact is past the retention. */
    void sweep() {
        long oldest = oldest();
        if (oldest == Long.MIN_VALUE) {
            return;
        }
        List<String> stale = new java.util.ArrayList<>();
        try (KeyValueIterator<String, CustomerHistory> all = histories.all()) {
            while (all.hasNext()) {
                KeyValue<String, CustomerHistory> entry = all.next();
                if (entry.value.latest() < oldest) {
                    stale.add(entry.key);
                }
            }
        }
        stale.forEach(histories::delete);
    }
}
