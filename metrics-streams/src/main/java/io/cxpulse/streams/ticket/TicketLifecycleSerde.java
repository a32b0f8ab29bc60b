package io.cxpulse.streams.ticket;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The state-store form of a {@link TicketLifecycle} (see {@link TicketLifecycle#writeTo}). Internal to
 * metrics-streams (its changelogs), so not in the registry; a leading version byte guards changes to the layout.
 */
public final class TicketLifecycleSerde implements Serde<TicketLifecycle> {

    @Override
    public Serializer<TicketLifecycle> serializer() {
        return (topic, ticket) -> {
            if (ticket == null) {
                return null;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                ticket.writeTo(out);
            } catch (IOException e) {
                throw new SerializationException("could not write a ticket state for " + topic, e);
            }
            return bytes.toByteArray();
        };
    }

    @Override
    public Deserializer<TicketLifecycle> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                TicketLifecycle ticket = TicketLifecycle.readFrom(in);
                if (in.read() != -1) {
                    throw new IOException("bytes left over after the ticket state");
                }
                return ticket;
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("not a ticket state (" + bytes.length + " bytes) in " + topic, e);
            }
        };
    }
}
