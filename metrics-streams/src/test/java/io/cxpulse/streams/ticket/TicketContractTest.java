package io.cxpulse.streams.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import io.cxpulse.avro.TicketEvent;
import io.cxpulse.avro.TicketEventType;
import io.cxpulse.avro.TicketPriority;

import org.junit.jupiter.api.Test;

class TicketContractTest {

    @Test
    void shouldAcceptAnEventThatHoldsToTheContract() {
        assertThat(TicketContract.violation(valid())).isNull();
    }

    @Test
    void shouldNameWhatIsMissingOrUnknown() {
        TicketEvent noTicket = valid();
        noTicket.setTicketId(" ");
        TicketEvent unknownType = valid();
        unknownType.setType(TicketEventType.UNKNOWN);
        TicketEvent unknownPriority = valid();
        unknownPriority.setPriority(TicketPriority.UNKNOWN);
        TicketEvent noEventId = valid();
        noEventId.setEventId("");
        TicketEvent notUuid = valid();
        notUuid.setEventId("3f2b8c1e-6a4d-4e0f-9b7a-2c5d8e1f0a3b-retry");
        TicketEvent before1970 = valid();
        before1970.setOccurredAt(Instant.ofEpochMilli(-1));
        TicketEvent noCustomer = valid();
        noCustomer.setCustomerId("");

        assertThat(TicketContract.violation(noTicket)).isEqualTo("ticketId is missing");
        assertThat(TicketContract.violation(unknownType)).contains("type UNKNOWN");
        assertThat(TicketContract.violation(unknownPriority)).contains("priority UNKNOWN");
        assertThat(TicketContract.violation(noEventId)).isEqualTo("eventId is missing");
        assertThat(TicketContract.violation(notUuid)).isEqualTo("eventId must be a UUID such as "
                + "3f2b8c1e-6a4d-4e0f-9b7a-2c5d8e1f0a3b, not one of 42 characters starting "
                + "3f2b8c1e-6a4d-4e0f-9b7a-2c5d8e1f0a3b-ret");
        assertThat(TicketContract.violation(before1970)).contains("occurredAt");
        assertThat(TicketContract.violation(noCustomer)).isEqualTo("customerId is missing");
    }

    @Test
    void shouldRefuseTheQueuesTheMetricsUseForGroups() {
        for (String queue : List.of("none", "other", "all")) {
            TicketEvent event = valid();
            event.setQueue(queue);
            assertThat(TicketContract.violation(event)).isEqualTo("queue '" + queue + "' is reserved: all, other, "
                    + "none name groups of events in the metrics");
        }
        TicketEvent named = valid();
        named.setQueue("None of the above");
        assertThat(TicketContract.violation(named)).isNull();
    }

    private static TicketEvent valid() {
        Instant at = Instant.parse("2026-11-20T10:00:00Z");
        return TicketEvent.newBuilder().setEventId("3f2b8c1e-6a4d-4e0f-9b7a-2c5d8e1f0a3b").setOccurredAt(at)
                .setReceivedAt(at).setSource("test").setCustomerId("c-1").setTicketId("t-1")
                .setType(TicketEventType.OPENED).setPriority(TicketPriority.HIGH).build();
    }
}
