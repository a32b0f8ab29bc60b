package io.cxpulse.streams.friction;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.cxpulse.avro.Channel;
import io.cxpulse.avro.FrictionSignal;
import io.cxpulse.avro.Outcome;
import io.cxpulse.avro.TouchpointEvent;

/**
 * One customer's recent touchpoints and support contacts, kept for a retention (7 days by default) and bounded in
 * number, from which the signals that span events are found:
 * <ul>
 *   <li>channel switch: each channel of a journey but its first, counted once, at the journey's earliest visit on
 *       that channel (in event time; a tie goes to the lower channel, then touchpoint). A visit that arrives late
 *       and changes which visit that is moves the count (-1 at the old visit, +1 at the new one), so the counts do
 *       not depend on arrival order. The visit a switch is counted at is marked, and a switch is moved only from
 *       a marked visit, so that a history pruned short (a journey older than the retention, or a customer past
 *       the most visits kept) leaves a switch where it is rather than take back one never counted.
 *       {@link Found#observed()} marks, once per new channel of a journey, the count that a monotonic counter may
 *       take: the one that added a switch, not the moves;</li>
 *   <li>repeated contact: a FAILED or ABANDONED visit followed, within the retention, by a support contact (a
 *       touchpoint on PHONE, CHAT or EMAIL, or a ticket opened); counted once per failed visit, at its touchpoint,
 *       whichever of the two arrives first;</li>
 *   <li>repeated input: a journey with REPEATED_INPUT at a touchpoint, counted once per journey and touchpoint;</li>
 *   <li>for an NPS response: each touchpoint visited in the retention before it, and whether the customer met
 *       friction there; a touchpoint that arrives after a {@link KeptResponses kept} response but is timestamped
 *       before it is joined to it too (at a touchpoint it had not counted at, or as a move from the clean group
 *       to the friction group), so the counts do not depend on the order in which they arrive.</li>
 * </ul>
 * Mutable; not thread-safe.
 */
public final class CustomerHistory {
    private static final int STATE_VERSION = 2;
    /** A visit no contact has credited yet. */
    private static final long NOT_CREDITED = Long.MIN_VALUE;
    private final List<Visit> visits = new ArrayList<>();
    private final List<Long> contacts = new ArrayList<>();

    /** A touchpoint visit as the history keeps it. */
    record Visit(String touchpoint, Channel channel, long at, String journeyId, boolean friction, boolean failed,
            boolean repeatedInput, long creditedAt, boolean switched) {
        /** Whether a support contact after this failed visit was counted as its repeated contact. */
        boolean credited() {
            return creditedAt != NOT_CREDITED;
        }

        /** This visit with its repeated contact counted at the contact at {@code contactAt}. */
        Visit credit(long contactAt) {
            return new Visit(touchpoint, channel, at, journeyId, friction, failed, repeatedInput, contactAt, switched);
        }

        /** This visit with its journey's channel switch counted here ({@code true}) or not. */
        Visit switched(boolean switched) {
            return new Visit(touchpoint, channel, at, journeyId, friction, failed, repeatedInput, creditedAt,
                    switched);
        }
    }

    /**
     * A count for a touchpoint at a time, as the history finds it.
     *
     * @param observed whether an observer of counts that span events takes it (false for a channel switch that
     *                 only moved from one visit to another, whose -1 a counter cannot take)
     */
    public record Found(String touchpoint, FrictionBucket bucket, long at, boolean observed) {
        Found(String touchpoint, FrictionBucket bucket, long at) {
            this(touchpoint, bucket, at, true);
        }
    }

    /** How a touchpoint on these channels is a support contact. */
    static boolean isContactChannel(Channel channel) {
        return channel == Channel.PHONE || channel == Channel.CHAT || channel == Channel.EMAIL;
    }

    /**
     * Adds a touchpoint event and returns what it makes countable: the event itself, any channel switch, repeated
     * input or repeated contact it completes, and its joins to the {@code responses} after it.
     *
     * @param retention how long, in milliseconds, a failure waits for a repeated contact and a response looks back
     * @param responses the customer's kept responses
     */
    public List<Found> touch(TouchpointEvent event, long retention, List<KeptResponses.Kept> responses) {
        List<Found> found = new ArrayList<>();
        Touchpoint touchpoint = new Touchpoint(event.getChannel(), event.getTouchpoint());
        String key = touchpoint.key();
        long at = event.getOccurredAt().toEpochMilli();
        found.add(new Found(key, FrictionBucket.of(event), at));
        String journey = event.getJourneyId();
        boolean repeatedInput = event.getFrictionSignals().contains(FrictionSignal.REPEATED_INPUT);
        boolean switched = false;
        if (journey != null) {
            if (event.getChannel() != null) {
                switched = switches(journey,
                        new Visit(key, event.getChannel(), at, journey, false, false, false, NOT_CREDITED, false),
                        found);
            }
            if (repeatedInput && visits.stream().noneMatch(visit -> visit.repeatedInput()
                    && journey.equals(visit.journeyId()) && key.equals(visit.touchpoint()))) {
                found.add(new Found(key, FrictionBucket.repeatedInputJourney(), at));
            }
        }
        boolean failed = event.getOutcome() == Outcome.FAILED || event.getOutcome() == Outcome.ABANDONED;
        long credited = NOT_CREDITED;
        if (failed) {
            // the earliest contact after the failure, as it would have been had the events come in time order
            Long contact = contacts.stream().filter(time -> time > at && time <= at + retention)
                    .min(Long::compare).orElse(null);
            if (contact != null) {
                credited = contact;
                found.add(new Found(key, FrictionBucket.repeatedContact(), contact));
            }
        }
        if (isContactChannel(event.getChannel())) {
            found.addAll(contact(at, retention));
        }
        joinLate(key, at, FrictionBucket.hasFriction(event), retention, responses, found);
        visits.add(new Visit(key, event.getChannel(), at, journey, FrictionBucket.hasFriction(event), failed,
                repeatedInput, credited, switched));
        return found;
    }

    /**
     * What a new visit on a channel changes in its journey's channel switches (see the class comment), added to
     * {@code found}; the visits a switch is counted at are marked {@link Visit#switched()}. Called before the visit
     * is added; returns whether the switch of its channel is now counted at it.
     *
     * <p>A channel whose marks do not match what its held visits say (a visit carrying its switch, or the
     * journey's first, was pruned) is left as it is: a switch is taken back only where it was counted, so no
     * count goes below zero.
     */
    private boolean switches(String journey, Visit arriving, List<Found> found) {
        Map<Channel, Visit> before = new EnumMap<>(Channel.class);
        Map<Channel, Visit> marked = new EnumMap<>(Channel.class);
        for (Visit visit : visits) {
            if (journey.equals(visit.journeyId()) && visit.channel() != null) {
                before.merge(visit.channel(), visit, CustomerHistory::earlier);
                if (visit.switched()) {
                    marked.put(visit.channel(), visit);
                }
            }
        }
        if (before.isEmpty()) {
            return false;
        }
        boolean newChannel = !before.containsKey(arriving.channel());
        Map<Channel, Visit> after = new EnumMap<>(before);
        after.merge(arriving.channel(), arriving, CustomerHistory::earlier);
        Channel firstBefore = first(before);
        Channel firstAfter = first(after);
        boolean arrivingSwitched = false;
        for (Map.Entry<Channel, Visit> entry : after.entrySet()) {
            Channel channel = entry.getKey();
            Visit was = marked.get(channel);
            Visit heldSays = channel == firstBefore ? null : before.get(channel);
            Visit is = channel == firstAfter ? null : entry.getValue();
            if (was != heldSays || was == is) {
                continue;
            }
            if (was != null) {
                found.add(new Found(was.touchpoint(), FrictionBucket.channelSwitchTakenBack(), was.at(), false));
                mark(was, false);
            }
            if (is == arriving) {
                arrivingSwitched = true;
            } else if (is != null) {
                mark(is, true);
            }
            if (is != null) {
                // the one switch a new channel adds is the one on a channel that was not a switch before
                found.add(new Found(is.touchpoint(), FrictionBucket.channelSwitch(), is.at(),
                        newChannel && was == null));
            }
        }
        return arrivingSwitched;
    }

    /** Marks the held visit {@code visit} (this very one) as carrying its channel's switch, or not. */
    private void mark(Visit visit, boolean switched) {
        for (int i = 0; i < visits.size(); i++) {
            if (visits.get(i) == visit) {
                visits.set(i, visit.switched(switched));
                return;
            }
        }
    }

    /** The earlier of two visits of a journey: by time, then channel, then touchpoint (ties do not hang on order). */
    private static Visit earlier(Visit a, Visit b) {
        int byTime = Long.compare(a.at(), b.at());
        if (byTime != 0) {
            return byTime < 0 ? a : b;
        }
        int byChannel = a.channel().compareTo(b.channel());
        if (byChannel != 0) {
            return byChannel < 0 ? a : b;
        }
        return a.touchpoint().compareTo(b.touchpoint()) <= 0 ? a : b;
    }

    /** The channel of the earliest of the journey's first visits per channel. */
    private static Channel first(Map<Channel, Visit> firstVisits) {
        Visit first = null;
        for (Visit visit : firstVisits.values()) {
            first = first == null ? visit : earlier(first, visit);
        }
        return first.channel();
    }

    /**
     * Adds a support contact at {@code at} (a ticket opened, or a visit on a support channel); returns the repeated
     * contacts it completes, and the ones it moves: a failure whose repeated contact was counted at a later contact
     * (which arrived first) has it moved to this earlier one, so the count sits where time order puts it.
     */
    public List<Found> contact(long at, long retention) {
        List<Found> found = new ArrayList<>();
        for (int i = 0; i < visits.size(); i++) {
            Visit visit = visits.get(i);
            if (!visit.failed() || visit.at() >= at || at > visit.at() + retention) {
                continue;
            }
            if (!visit.credited()) {
                visits.set(i, visit.credit(at));
                found.add(new Found(visit.touchpoint(), FrictionBucket.repeatedContact(), at));
            } else if (visit.creditedAt() > at) {
                found.add(new Found(visit.touchpoint(), FrictionBucket.repeatedContactTakenBack(),
                        visit.creditedAt(), false));
                found.add(new Found(visit.touchpoint(), FrictionBucket.repeatedContact(), at, false));
                visits.set(i, visit.credit(at));
            }
        }
        contacts.add(at);
        return found;
    }

    /**
     * Joins an NPS response at {@code at} to the touchpoints visited in the {@code retention} before it: one count
     * each, in the group that met friction there or the one that passed cleanly, at the response's time.
     */
    public List<Found> respond(long at, boolean detractor, long retention) {
        List<Found> found = new ArrayList<>();
        before(at, retention).forEach((touchpoint, friction) -> found.add(new Found(touchpoint,
                FrictionBucket.response(friction, detractor), at)));
        return found;
    }

    /**
     * What a new visit changes for the responses after it (within {@code retention}): a response that had not
     * counted at the visit's touchpoint counts there now; one that had counted there as passed cleanly moves to
     * the group that met friction, if the visit met friction. Called before the visit is added.
     */
    private void joinLate(String touchpoint, long at, boolean friction, long retention,
            List<KeptResponses.Kept> responses, List<Found> found) {
        for (KeptResponses.Kept response : responses) {
            if (!within(at, response.at(), retention)) {
                continue;
            }
            boolean visited = false;
            boolean metFriction = false;
            for (Visit visit : visits) {
                if (visit.touchpoint().equals(touchpoint) && within(visit.at(), response.at(), retention)) {
                    visited = true;
                    metFriction |= visit.friction();
                }
            }
            if (!visited) {
                found.add(new Found(touchpoint, FrictionBucket.response(friction, response.detractor()),
                        response.at()));
            } else if (friction && !metFriction) {
                found.add(new Found(touchpoint, FrictionBucket.movedToFriction(response.detractor()),
                        response.at()));
            }
        }
    }

    /**
     * The touchpoints visited in the {@code retention} before an NPS response at {@code at}, each with whether the
     * customer met friction there (at any visit).
     */
    public Map<String, Boolean> before(long at, long retention) {
        Map<String, Boolean> touchpoints = new HashMap<>();
        for (Visit visit : visits) {
            if (within(visit.at(), at, retention)) {
                touchpoints.merge(visit.touchpoint(), visit.friction(), Boolean::logicalOr);
            }
        }
        return touchpoints;
    }

    /** Whether a visit at {@code visitAt} is in the {@code retention} before a response at {@code responseAt}. */
    private static boolean within(long visitAt, long responseAt, long retention) {
        return visitAt <= responseAt && visitAt > responseAt - retention;
    }

    /**
     * Forgets visits and contacts older than {@code oldest}, then the oldest ones beyond {@code maxVisits} and
     * {@code maxContacts}.
     */
    public void prune(long oldest, int maxVisits, int maxContacts) {
        visits.removeIf(visit -> visit.at() < oldest);
        contacts.removeIf(time -> time < oldest);
        if (visits.size() > maxVisits) {
            visits.sort((a, b) -> Long.compare(a.at(), b.at()));
            visits.subList(0, visits.size() - maxVisits).clear();
        }
        if (contacts.size() > maxContacts) {
            contacts.sort(Long::compare);
            contacts.subList(0, contacts.size() - maxContacts).clear();
        }
    }

    public boolean isEmpty() {
        return visits.isEmpty() && contacts.isEmpty();
    }

    /** The time of the latest visit or contact, or Long.MIN_VALUE. */
    public long latest() {
        long latest = Long.MIN_VALUE;
        for (Visit visit : visits) {
            latest = Math.max(latest, visit.at());
        }
        for (long contact : contacts) {
            latest = Math.max(latest, contact);
        }
        return latest;
    }

    int visits() {
        return visits.size();
    }

    /**
     * Writes the history: a version, the visits (channels by name; flags 1 journey, 2 friction, 4 failed, 8
     * repeated input, 16 credited with a repeated contact, then the contact's time, 32 carrying its channel's
     * switch), the contacts.
     */
    void writeTo(DataOutputStream out) throws IOException {
        out.writeByte(STATE_VERSION);
        out.writeInt(visits.size());
        for (Visit visit : visits) {
            out.writeUTF(visit.touchpoint());
            out.writeUTF(visit.channel() == null ? "" : visit.channel().name());
            out.writeLong(visit.at());
            out.writeUTF(visit.journeyId() == null ? "" : visit.journeyId());
            out.writeByte((visit.journeyId() == null ? 0 : 1) | (visit.friction() ? 2 : 0) | (visit.failed() ? 4 : 0)
                    | (visit.repeatedInput() ? 8 : 0) | (visit.credited() ? 16 : 0) | (visit.switched() ? 32 : 0));
            if (visit.credited()) {
                out.writeLong(visit.creditedAt());
            }
        }
        out.writeInt(contacts.size());
        for (long contact : contacts) {
            out.writeLong(contact);
        }
    }

    static CustomerHistory readFrom(DataInputStream in) throws IOException {
        int version = in.readUnsignedByte();
        if (version != STATE_VERSION) {
            throw new IOException("unknown customer history version " + version);
        }
        CustomerHistory history = new CustomerHistory();
        int visits = in.readInt();
        for (int i = 0; i < visits; i++) {
            String touchpoint = in.readUTF();
            String channel = in.readUTF();
            long at = in.readLong();
            String journey = in.readUTF();
            int flags = in.readUnsignedByte();
            long creditedAt = (flags & 16) != 0 ? in.readLong() : NOT_CREDITED;
            history.visits.add(new Visit(touchpoint, channel.isEmpty() ? null : Channel.valueOf(channel), at,
                    (flags & 1) == 0 ? null : journey, (flags & 2) != 0, (flags & 4) != 0, (flags & 8) != 0,
                    creditedAt, (flags & 32) != 0));
        }
        int contacts = in.readInt();
        for (int i = 0; i < contacts; i++) {
            history.contacts.add(in.readLong());
        }
        return history;
    }
}
