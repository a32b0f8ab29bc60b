package io.cxpulse.streams.friction;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import io.cxpulse.streams.friction.CustomerHistory.Found;
import io.cxpulse.streams.friction.CustomerSignal.Opened;
import io.cxpulse.streams.friction.CustomerSignal.Response;
import io.cxpulse.streams.friction.CustomerSignal.Touch;
import io.cxpulse.streams.state.CommitHook;
import io.cxpulse.streams.state.WriteBackStore;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.Stores;

/**
 * Keeps each customer's {@link CustomerHistory} (the key is the customerId) and sends on, keyed by touchpoint and
 * timestamped in event time, what it makes countable: each touchpoint event, the channel switches, repeated inputs
 * and repeated contacts it completes, and for each NPS response one response per touchpoint the customer visited
 * in the history window before it, in the group that met friction there or the group that passed cleanly.
 *
 * <p>A response is joined when it arrives and kept for the lateness horizon ({@code friction-kept-responses}, apart
 * from the history so that a response writes a few bytes, not the whole history), so that a touchpoint
 * timestamped before it that arrives later is joined to it too (as a count at a touchpoint it had not reached, or
 * as a move from the clean group to the friction group): the counts do not depend on arrival order within the
 * horizon. Histories are kept for the history window plus the horizon. Both are measured back from the task's
 * stream time, the latest of its inputs (docs/design.md, "Late and early events").
 *
 * <p>Both stores are read and written through a {@link WriteBackStore}: the most recently seen customers' histories
 * and responses stay in memory as objects, and each one that changed is written once per commit.
 */
final class FrictionJoin implements Processor<String, CustomerSignal, String, FrictionBucket> {
    static final String NAME = "friction-join";
    /** Customer histories by customerId; its name is part of the app's contract. */
    static final String HISTORY_STORE = "friction-customer-history";
    /** Each customer's responses within the lateness horizon; its name is part of the app's contract. */
    static final String KEPT_STORE = "friction-kept-responses";
    private static final int DETRACTOR_MAX = 6;

    private final FrictionSettings settings;
    private final FrictionObserver observer;
    private final WriteBackStore<CustomerHistory> histories;
    private final WriteBackStore<KeptResponses> kept;
    private ProcessorContext<String, FrictionBucket> context;

    FrictionJoin(FrictionSettings settings, FrictionObserver observer) {
        this.settings = settings;
        this.observer = observer;
        this.histories = new WriteBackStore<>(HISTORY_STORE, settings.customersInMemory());
        this.kept = new WriteBackStore<>(KEPT_STORE, settings.customersInMemory());
    }

    /** Adds the stores the join keeps, with their commit hooks, to {@code builder}. */
    static void addStores(StreamsBuilder builder) {
        WriteBackStore.addStores(builder, Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HISTORY_STORE),
                Serdes.String(), new CustomerHistorySerde()));
        WriteBackStore.addStores(builder, Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(KEPT_STORE),
                Serdes.String(), new KeptResponsesSerde()));
    }

    /** The names of the stores the join must be connected to. */
    static String[] stores() {
        return Stream.of(CommitHook.withHook(HISTORY_STORE), CommitHook.withHook(KEPT_STORE)).flatMap(Arrays::stream)
                .toArray(String[]::new);
    }

    @Override
    public void init(ProcessorContext<String, FrictionBucket> context) {
        this.context = context;
        histories.init(context);
        kept.init(context);
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
        // a ticket opened is not a visit: only responses and touchpoints need the kept responses
        KeptResponses responses = record.value() instanceof Opened ? null : kept.get(customer);
        if (record.value() instanceof Response response) {
            long at = response.response().getOccurredAt().toEpochMilli();
            boolean detractor = response.response().getScore() <= DETRACTOR_MAX;
            if (known != null) {
                known.respond(at, detractor, history).forEach(this::forward);
            }
            responses = responses == null ? new KeptResponses() : responses;
            responses.add(at, detractor);
            responses.pruneBefore(keptSince());
            store(customer, responses);
            return;
        }
        CustomerHistory customerHistory = known == null ? new CustomerHistory() : known;
        List<KeptResponses.Kept> after = responses == null ? List.of() : responses.all();
        List<Found> found = record.value() instanceof Touch touch
                ? customerHistory.touch(touch.event(), history, after)
                : customerHistory.contact(((Opened) record.value()).at(), history);
        for (Found count : found) {
            if (count.observed() && count.bucket().events() == 0) {
                observer.found(Touchpoint.parse(count.touchpoint()), count.bucket());
            }
            forward(count);
        }
        customerHistory.prune(oldest(), settings.maxVisits(), settings.maxContacts());
        if (customerHistory.isEmpty()) {
            histories.delete(customer);
        } else {
            histories.put(customer, customerHistory);
        }
        if (responses != null && responses.pruneBefore(keptSince())) {
            store(customer, responses);
        }
    }

    private void store(String customer, KeptResponses responses) {
        if (responses.isEmpty()) {
            kept.delete(customer);
        } else {
            kept.put(customer, responses);
        }
    }

    private void forward(Found count) {
        context.forward(new Record<>(count.touchpoint(), count.bucket(), count.at()));
    }

    /** The oldest event time a history still needs: a late event within the horizon may look that far back. */
    private long oldest() {
        long streamTime = context.currentStreamTimeMs();
        return streamTime < 0 ? Long.MIN_VALUE
                : streamTime - settings.history().toMillis() - settings.intake().horizon().toMillis();
    }

    /** The oldest response time a late touchpoint can still reach: a touchpoint before it would be too late. */
    private long keptSince() {
        long streamTime = context.currentStreamTimeMs();
        return streamTime < 0 ? Long.MIN_VALUE : streamTime - settings.intake().horizon().toMillis();
    }

    /**
     * Removes the histories whose every visit and contact is past the retention, and the kept responses that no
     * touchpoint can still reach.
     */
    void sweep() {
        long oldest = oldest();
        if (oldest == Long.MIN_VALUE) {
            return;
        }
        List<String> stale = new ArrayList<>();
        try (KeyValueIterator<String, CustomerHistory> all = histories.all()) {
            while (all.hasNext()) {
                KeyValue<String, CustomerHistory> entry = all.next();
                if (entry.value.latest() < oldest) {
                    stale.add(entry.key);
                }
            }
        }
        stale.forEach(histories::delete);
        long keptSince = keptSince();
        List<KeyValue<String, KeptResponses>> spent = new ArrayList<>();
        try (KeyValueIterator<String, KeptResponses> all = kept.all()) {
            while (all.hasNext()) {
                KeyValue<String, KeptResponses> entry = all.next();
                if (entry.value.pruneBefore(keptSince)) {
                    spent.add(entry);
                }
            }
        }
        spent.forEach(entry -> store(entry.key, entry.value));
    }
}
