package io.cxpulse.schemas;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.cxpulse.avro.AlertKind;
import io.cxpulse.avro.AlertState;
import io.cxpulse.avro.Channel;
import io.cxpulse.avro.CxAlert;
import io.cxpulse.avro.DeadLetter;
import io.cxpulse.avro.DeadLetterReason;
import io.cxpulse.avro.Device;
import io.cxpulse.avro.FrictionSignal;
import io.cxpulse.avro.Interaction;
import io.cxpulse.avro.Outcome;
import io.cxpulse.avro.SurveyMetric;
import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.avro.TicketEvent;
import io.cxpulse.avro.TicketEventType;
import io.cxpulse.avro.TicketPriority;
import io.cxpulse.avro.TouchpointEvent;

/** One filled-in example of each event type, for tests. */
public final class SampleEvents {
    public static final Instant OCCURRED = Instant.parse("2026-11-20T10:15:30.123Z");
    public static final Instant RECEIVED = Instant.parse("2026-11-20T10:15:31.456Z");

    private SampleEvents() {
    }

    public static SurveyResponse survey() {
        return SurveyResponse.newBuilder()
                .setEventId("8d1f3a52-6a4e-4c55-9d43-1f0f5a2b7c10").setOccurredAt(OCCURRED).setReceivedAt(RECEIVED)
                .setSource("crm").setCustomerId("cust-42").setSegment("smb").setChannel(Channel.WEB)
                .setAttributes(Map.of("campaign", "q4"))
                .setSurveyId("relationship-nps").setMetric(SurveyMetric.NPS).setScore(6)
                .setComment("Checkout kept failing — ça m'énerve 😤").setTouchpoint("checkout.payment")
                .setJourneyStage("purchase").build();
    }

    public static TicketEvent ticket() {
        return TicketEvent.newBuilder()
                .setEventId("1e4b0c7a-0c0e-4bb1-8d7e-5b0b8a9d2f11").setOccurredAt(OCCURRED).setReceivedAt(RECEIVED)
                .setSource("helpdesk").setCustomerId("cust-42").setChannel(Channel.CHAT)
                .setTicketId("T-1001").setType(TicketEventType.AGENT_REPLIED).setPriority(TicketPriority.HIGH)
                .setQueue("billing").setAgentId("agent-7").build();
    }

    public static TouchpointEvent touchpoint() {
        return TouchpointEvent.newBuilder()
                .setEventId("5b7c1d2e-3f40-4a51-8b62-7c83d94ea5f6").setOccurredAt(OCCURRED).setReceivedAt(RECEIVED)
                .setSource("web-frontend").setCustomerId("cust-42").setSegment("smb").setChannel(Channel.MOBILE_APP)
                .setTouchpoint("checkout.payment").setJourneyId("j-99").setJourneyStage("purchase")
                .setDevice(Device.MOBILE).setInteraction(Interaction.SELF_SERVICE).setOutcome(Outcome.FAILED)
                .setFrictionSignals(List.of(FrictionSignal.ERROR, FrictionSignal.RETRY)).setDurationMs(48_000L)
                .setErrorCode("CARD_DECLINED").build();
    }

    public static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setOriginalTopic("cx.survey-responses.v1").setOriginalPartition(3).setOriginalOffset(1234L)
                .setOriginalTimestamp(OCCURRED).setKey(java.nio.ByteBuffer.wrap(new byte[] {1, 2}))
                .setValue(java.nio.ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 9, 42}))
                .setReason(DeadLetterReason.UNDECODABLE).setCause("SerializationException: unknown schema id 9")
                .setProcessor("metrics-streams").setFailedAt(RECEIVED).build();
    }

    public static CxAlert alert() {
        return CxAlert.newBuilder()
                .setAlertId("detractor-rate/segment=smb/2026-11-20T10:00Z").setKind(AlertKind.DETRACTOR_RATE)
                .setDimension(Map.of("segment", "smb")).setState(AlertState.OPENED).setSeverity("critical")
                .setObserved(0.41).setBaseline(0.18).setEvidence(15.2).setSampleSize(57L)
                .setWindow("38m").setBaselineWindow("7d")
                .setWindowStart(Instant.parse("2026-11-20T10:00:00Z"))
                .setWindowEnd(Instant.parse("2026-11-20T11:00:00Z"))
                .setEmittedAt(RECEIVED).build();
    }
}
