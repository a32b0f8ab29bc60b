package io.cxpulse.streams.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import io.cxpulse.avro.Channel;
import io.cxpulse.avro.TicketPriority;
import io.cxpulse.streams.ticket.TicketLifecycle.Facets;
import io.cxpulse.streams.ticket.TicketLifecycle.Kind;
import io.cxpulse.streams.ticket.TicketLifecycle.Settled;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class TicketBucketSerdeTest {
    private static final Facets REOPENED = new Facets(Channel.EMAIL, TicketPriority.HIGH, "billing", true, false);
    private static final Facets ONE_TOUCH = new Facets(Channel.EMAIL, TicketPriority.HIGH, "billing", false, true);

    @Test
    void shouldReadBackEverySketchAndCount() {
        TicketBucketSerde serde = new TicketBucketSerde();
        Instant at = Instant.parse("2026-11-20T10:00:00Z");
        Settled first = new Settled(Kind.FULL_RESOLUTION, Duration.ofHours(1), at, ONE_TOUCH);
        Settled slowReply = new Settled(Kind.FIRST_RESPONSE, Duration.ofMinutes(9), at, ONE_TOUCH);
        TicketBucket bucket = TicketBucket.of(slowReply);
        // an earlier reply arrived late: the 9-minute figure is taken back, the 5-minute one counts
        bucket.addAll(TicketBucket.retraction(slowReply));
        bucket.addAll(TicketBucket.of(new Settled(Kind.FIRST_RESPONSE, Duration.ofMinutes(5), at, ONE_TOUCH)));
        bucket.addAll(TicketBucket.of(new Settled(Kind.FIRST_RESOLUTION, Duration.ofMinutes(50), at, ONE_TOUCH)));
        bucket.addAll(TicketBucket.of(first));
        bucket.addAll(TicketBucket.of(new Settled(Kind.FULL_RESOLUTION, Duration.ofHours(3), at, REOPENED)));
        bucket.addAll(TicketBucket.retraction(first));

        TicketBucket read = serde.deserializer().deserialize("t", serde.serializer().serialize("t", bucket));

        assertThat(read).isEqualTo(bucket);
        assertThat(read.firstResponse().count()).isEqualTo(1);
        assertThat(read.firstResponse().quantileSeconds(0.5)).isBetween(5 * 60 * 0.99, 5 * 60 * 1.01);
        assertThat(read.fullResolution().count()).isEqualTo(1);
        assertThat(read.fullResolution().quantileSeconds(0.5)).isBetween(3 * 3600 * 0.99, 3 * 3600 * 1.01);
        assertThat(read.resolved()).isEqualTo(1);
        assertThat(read.reopenRate()).isEqualTo(1.0);
        assertThat(read.oneTouchRate()).isEqualTo(0.0);
    }

    @Test
    void shouldRefuseBytesThatAreNotABucket() {
        TicketBucketSerde serde = new TicketBucketSerde();

        assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {1, 0, 0}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("not a ticket bucket");
    }
}
