package io.cxpulse.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Realistic customer-experience traffic: journeys over several steps whose touchpoints meet friction (and
 * sometimes switch channel), surveys whose scores depend on where friction was met (mostly at
 * {@link #KNOWN_FRICTION_POINT}) and on a detractor share that drifts over time, and support tickets with realistic
 * reply and resolution delays, some reopened.
 *
 * <p>Event time runs in the recent past (never more than a few minutes ahead), as a real backend would send it.
 */
public final class TrafficModel {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String[] SEGMENTS = {"enterprise", "smb", "consumer", "public-sector"};
    static final double[] SEGMENT_WEIGHTS = {0.15, 0.35, 0.45, 0.05};
    static final String[] CHANNELS = {"WEB", "MOBILE_APP", "EMAIL", "PHONE", "CHAT", "SOCIAL", "STORE"};
    static final double[] CHANNEL_WEIGHTS = {0.38, 0.27, 0.05, 0.12, 0.12, 0.03, 0.03};
    static final String[] JOURNEY = {"browse.search", "product.detail", "cart.review", "checkout.details",
        "checkout.payment", "checkout.confirmation"};
    static final double[] FRICTION_RISK = {0.02, 0.03, 0.05, 0.12, 0.18, 0.04};
    /**
     * The friction point that makes detractors: friction here adds 35 points to a customer's detractor share,
     * friction elsewhere 3, so that {@code /v1/friction/top?by=detractorLift} has a known answer.
     */
    static final String KNOWN_FRICTION_POINT = "checkout.payment";
    /** How far back a scenario's events start: well within metrics-streams' default grace of 1h. */
    static final Duration HISTORY = Duration.ofMinutes(50);
    static final String[] SIGNALS = {"ERROR", "REPEATED_INPUT", "CONTRADICTORY_INFO", "LONG_WAIT", "RETRY",
        "DEAD_END"};
    static final String[] QUEUES = {"billing", "delivery", "returns", "account", "technical"};
    static final String[] PRIORITIES = {"LOW", "NORMAL", "HIGH", "URGENT"};
    static final double[] PRIORITY_WEIGHTS = {0.25, 0.5, 0.2, 0.05};

    /** One event for one endpoint. */
    public record Event(String path, ObjectNode json) {
    }

    private final Random random;
    private final Instant start;
    private final Duration driftPeriod;

    public TrafficModel(long seed, Instant start, Duration driftPeriod) {
        this.random = new Random(seed);
        this.start = start;
        this.driftPeriod = driftPeriod;
    }

    /**
     * The next scenario's events: a journey (with maybe a survey) or a ticket's lifecycle. None is more than
     * {@link #HISTORY} before {@code now}; a ticket's later events are after {@code now}, to be sent when their
     * time comes, as a real backend would.
     */
    public List<Event> next(Instant now) {
        double pick = random.nextDouble();
        if (pick < 0.55) {
            return journey(now);
        }
        if (pick < 0.8) {
            return ticket(now);
        }
        return List.of(survey(now, customer(), pickWeighted(SEGMENTS, SEGMENT_WEIGHTS),
                pickWeighted(CHANNELS, CHANNEL_WEIGHTS), random.nextBoolean() ? "CSAT" : "CES", Friction.NONE, null));
    }

    /** Where a customer met friction on a journey. */
    enum Friction {
        NONE, ELSEWHERE, KNOWN_POINT
    }

    /**
     * The detractor share at {@code now}: a base per segment that drifts up and down over the drift period, raised
     * by 35 points for friction at the known friction point and by 3 for friction elsewhere.
     */
    double detractorShare(Instant now, String segment, Friction friction) {
        double phase = 2 * Math.PI * Duration.between(start, now).toMillis() / (double) driftPeriod.toMillis();
        double base = switch (segment) {
            case "enterprise" -> 0.12;
            case "smb" -> 0.18;
            case "public-sector" -> 0.25;
            default -> 0.22;
        };
        double lift = switch (friction) {
            case KNOWN_POINT -> 0.35;
            case ELSEWHERE -> 0.03;
            default -> 0;
        };
        double share = base + 0.08 * Math.sin(phase) + lift;
        return Math.max(0.02, Math.min(0.9, share));
    }

    private List<Event> journey(Instant now) {
        List<Event> events = new ArrayList<>();
        String customer = customer();
        String segment = pickWeighted(SEGMENTS, SEGMENT_WEIGHTS);
        String channel = random.nextDouble() < 0.6 ? "WEB" : "MOBILE_APP";
        String journeyId = "j-" + UUID.randomUUID();
        Instant at = now.minusSeconds(60 + random.nextInt(600));
        Friction met = Friction.NONE;
        for (int step = 0; step < JOURNEY.length; step++) {
            at = at.plusMillis(5_000 + (long) (random.nextDouble() * 40_000));
            if (at.isAfter(now)) {
                at = now;
            }
            boolean friction = random.nextDouble() < FRICTION_RISK[step];
            String outcome = "COMPLETED";
            List<String> signals = new ArrayList<>();
            if (friction) {
                met = JOURNEY[step].equals(KNOWN_FRICTION_POINT) ? Friction.KNOWN_POINT
                        : met == Friction.KNOWN_POINT ? met : Friction.ELSEWHERE;
                signals.add(SIGNALS[random.nextInt(SIGNALS.length)]);
                if (random.nextDouble() < 0.3) {
                    signals.add("RETRY");
                }
                double end = random.nextDouble();
                outcome = end < 0.35 ? "ABANDONED" : end < 0.6 ? "FAILED" : "COMPLETED";
            }
            ObjectNode event = base(at, customer, segment, channel);
            event.put("touchpoint", JOURNEY[step]);
            event.put("journeyId", journeyId);
            event.put("journeyStage", step < 3 ? "consideration" : "purchase");
            event.put("device", channel.equals("WEB") ? (random.nextDouble() < 0.7 ? "DESKTOP" : "TABLET") : "MOBILE");
            event.put("interaction", "SELF_SERVICE");
            event.put("outcome", outcome);
            signals.stream().distinct().forEach(event.withArray("frictionSignals")::add);
            event.put("durationMs", 2_000 + random.nextInt(friction ? 120_000 : 30_000));
            if (signals.contains("ERROR")) {
                event.put("errorCode", step == 4 ? "PAYMENT_DECLINED" : "SERVER_ERROR");
            }
            events.add(new Event("touchpoints", event));
            if (!outcome.equals("COMPLETED")) {
                if (random.nextDouble() < 0.4) {
                    ObjectNode call = base(at.plusSeconds(30), customer, segment, "PHONE");
                    call.put("touchpoint", "support.call");
                    call.put("journeyId", journeyId);
                    call.put("device", "NONE");
                    call.put("interaction", "ASSISTED");
                    call.put("outcome", random.nextDouble() < 0.7 ? "COMPLETED" : "FAILED");
                    call.put("durationMs", 60_000 + random.nextInt(600_000));
                    events.add(new Event("touchpoints", call));
                }
                break;
            }
        }
        if (random.nextDouble() < 0.35) {
            events.add(survey(now, customer, segment, channel, "NPS", met, JOURNEY[Math.min(
                    events.size() - 1, JOURNEY.length - 1)]));
        }
        return events;
    }

    private Event survey(Instant now, String customer, String segment, String channel, String metric,
            Friction met, String touchpoint) {
        ObjectNode event = base(now.minusSeconds(random.nextInt(120)), customer, segment, channel);
        event.put("surveyId", metric.toLowerCase() + "-post-interaction");
        event.put("metric", metric);
        double detractor = detractorShare(now, segment, met);
        double roll = random.nextDouble();
        int score = switch (metric) {
            case "NPS" -> roll < detractor ? random.nextInt(7) : roll < detractor + 0.3 ? 7 + random.nextInt(2)
                    : 9 + random.nextInt(2);
            case "CSAT" -> roll < detractor ? 1 + random.nextInt(3) : 4 + random.nextInt(2);
            default -> roll < detractor ? 1 + random.nextInt(4) : 5 + random.nextInt(3);
        };
        event.put("score", score);
        if (touchpoint != null) {
            event.put("touchpoint", touchpoint);
            event.put("journeyStage", "purchase");
        }
        if (random.nextDouble() < 0.25) {
            event.put("comment", score <= 6 ? "Payment kept failing and nobody could tell me why."
                    : "Quick and easy, thanks!");
        }
        return new Event("survey-responses", event);
    }

    private List<Event> ticket(Instant now) {
        List<Event> events = new ArrayList<>();
        String customer = customer();
        String segment = pickWeighted(SEGMENTS, SEGMENT_WEIGHTS);
        String channel = pickWeighted(new String[] {"EMAIL", "CHAT", "PHONE", "WEB"}, new double[] {0.3, 0.35,
            0.2, 0.15});
        String ticketId = "T-" + UUID.randomUUID().toString().substring(0, 13);
        String priority = pickWeighted(PRIORITIES, PRIORITY_WEIGHTS);
        String queue = QUEUES[random.nextInt(QUEUES.length)];
        double speed = switch (priority) {
            case "URGENT" -> 0.1;
            case "HIGH" -> 0.3;
            case "NORMAL" -> 1;
            default -> 2;
        };
        long firstReply = (long) (lognormal(Math.log(45 * 60), 0.9) * speed);
        long resolve = firstReply + (long) (lognormal(Math.log(6 * 3600), 1.0) * speed);
        boolean reopen = random.nextDouble() < 0.08;
        long reopenAt = resolve + (long) lognormal(Math.log(24 * 3600), 0.6);
        long resolveAgain = reopenAt + (long) (lognormal(Math.log(4 * 3600), 0.8) * speed);
        long span = reopen ? resolveAgain + 3600 : resolve + 3600;
        // opened in the last 50 minutes, so that what has already happened is within metrics-streams' grace (1h);
        // the rest of the lifecycle lies ahead, for the sender to hold until its time
        Instant opened = now.minusSeconds(random.nextInt((int) HISTORY.toSeconds()));
        String agent = "agent-" + (1 + random.nextInt(40));
        events.add(ticketEvent(opened, customer, segment, channel, ticketId, "OPENED", priority, queue, null));
        events.add(ticketEvent(opened.plusSeconds(firstReply), customer, segment, channel, ticketId,
                "AGENT_REPLIED", priority, queue, agent));
        if (random.nextDouble() < 0.5) {
            events.add(ticketEvent(opened.plusSeconds(firstReply + (resolve - firstReply) / 2), customer, segment,
                    channel, ticketId, "CUSTOMER_REPLIED", priority, queue, null));
        }
        events.add(ticketEvent(opened.plusSeconds(resolve), customer, segment, channel, ticketId, "RESOLVED",
                priority, queue, agent));
        if (reopen) {
            events.add(ticketEvent(opened.plusSeconds(reopenAt), customer, segment, channel, ticketId, "REOPENED",
                    priority, queue, null));
            events.add(ticketEvent(opened.plusSeconds(resolveAgain), customer, segment, channel, ticketId,
                    "RESOLVED", priority, queue, agent));
        }
        events.add(ticketEvent(opened.plusSeconds(span), customer, segment, channel, ticketId, "CLOSED", priority,
                queue, null));
        return events;
    }

    private Event ticketEvent(Instant at, String customer, String segment, String channel, String ticketId,
            String type, String priority, String queue, String agent) {
        ObjectNode event = base(at, customer, segment, channel);
        event.put("ticketId", ticketId);
        event.put("type", type);
        event.put("priority", priority);
        event.put("queue", queue);
        if (agent != null) {
            event.put("agentId", agent);
        }
        return new Event("ticket-events", event);
    }

    private ObjectNode base(Instant at, String customer, String segment, String channel) {
        ObjectNode event = JSON.createObjectNode();
        event.put("eventId", new UUID(random.nextLong(), random.nextLong()).toString());
        event.put("occurredAt", at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
        event.put("customerId", customer);
        event.put("segment", segment);
        event.put("channel", channel);
        return event;
    }

    private String customer() {
        return "cust-" + random.nextInt(50_000);
    }

    private double lognormal(double mu, double sigma) {
        return Math.exp(mu + sigma * random.nextGaussian());
    }

    private String pickWeighted(String[] values, double[] weights) {
        double roll = random.nextDouble();
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += weights[i];
            if (roll < sum) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }
}
