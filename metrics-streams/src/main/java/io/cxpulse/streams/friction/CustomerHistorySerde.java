package io.cxpulse.streams.friction;

import io.cxpulse.streams.state.DataSerde;

/** The state-store form of a {@link CustomerHistory} (see {@link CustomerHistory#writeTo}). */
public final class CustomerHistorySerde extends DataSerde<CustomerHistory> {
    public CustomerHistorySerde() {
        super("a customer history", (history, out) -> history.writeTo(out), CustomerHistory::readFrom);
    }
}
