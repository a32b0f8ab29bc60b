package io.cxpulse.streams.friction;

import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.avro.TouchpointEvent;

/** What reaches a customer's history: a touchpoint, an NPS response, or a ticket opened. */
sealed interface CustomerSignal permits CustomerSignal.Touch, CustomerSignal.Response, CustomerSignal.Opened {

    record Touch(TouchpointEvent event) implements CustomerSignal {
    }

    record Response(SurveyResponse response) implements CustomerSignal {
    }

    /** A ticket opened at {@code at} (epoch milliseconds): a support contact. */
    record Opened(long at) implements CustomerSignal {
    }
}
