package io.cxpulse.streams.friction;

import io.cxpulse.streams.state.DataSerde;

/** The state-store form of {@link KeptResponses} (see {@link KeptResponses#writeTo}). */
public final class KeptResponsesSerde extends DataSerde<KeptResponses> {
    public KeptResponsesSerde() {
        super("a customer's kept responses", (kept, out) -> kept.writeTo(out), KeptResponses::readFrom);
    }
}
