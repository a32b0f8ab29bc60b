package io.cxpulse.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.cxpulse.common.Draining;

import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

class StreamsHealthTest {
    private final AtomicLong now = new AtomicLong();
    private final Draining draining = new Draining();
    private final StreamsHealth health = new StreamsHealth(Duration.ofSeconds(60), 2, Duration.ofMinutes(10),
            now::get, draining);

    private void advance(Duration duration) {
        now.addAndGet(duration.toNanos());
    }

    @Test
    void shouldNotBeReadyWhileItStartsAndRestoresForTheFirstTime() {
        health.onChange(State.REBALANCING);
        assertThat(health.ready(State.CREATED).up()).isFalse();
        assertThat(health.ready(State.REBALANCING).up()).isFalse();
        assertThat(health.live(State.REBALANCING).up()).isTrue();
        health.onChange(State.RUNNING);
        assertThat(health.ready(State.RUNNING).up()).isTrue();
    }

    @Test
    void shouldStayReadyThroughARebalanceShorterThanTheGraceOnceItHasRun() {
        health.onChange(State.RUNNING);
        advance(Duration.ofMinutes(5));
        health.onChange(State.REBALANCING);
        advance(Duration.ofSeconds(59));
        assertThat(health.ready(State.REBALANCING).up()).isTrue();
        advance(Duration.ofSeconds(2));
        StreamsHealth.Verdict longRebalance = health.ready(State.REBALANCING);
        assertThat(longRebalance.up()).isFalse();
        assertThat(longRebalance.detail()).contains("over 60 s");
        health.onChange(State.RUNNING);
        health.onChange(State.REBALANCING);
        assertThat(health.ready(State.REBALANCING).up()).as("a new rebalance starts a new grace").isTrue();
    }

    @Test
    void shouldFailReadinessButNotLivenessWhenToldToStop() {
        health.onChange(State.RUNNING);
        draining.begin(Duration.ZERO);
        assertThat(health.ready(State.RUNNING).up()).isFalse();
        assertThat(health.ready(State.RUNNING).detail()).isEqualTo("STOPPING");
        assertThat(health.live(State.PENDING_SHUTDOWN).up()).isTrue();
    }

    @Test
    void shouldNotBeLiveInErrorOrStoppedUnasked() {
        assertThat(health.live(State.ERROR).up()).isFalse();
        assertThat(health.live(State.PENDING_ERROR).up()).isFalse();
        assertThat(health.live(State.NOT_RUNNING).up()).isFalse();
        assertThat(health.live(State.RUNNING).up()).isTrue();
    }

    @Test
    void shouldNotBeLiveWhenThreadsKeepDyingWithinTheWindow() {
        health.onThreadReplaced();
        advance(Duration.ofMinutes(6));
        health.onThreadReplaced();
        assertThat(health.threadsKeepDying()).isFalse();
        advance(Duration.ofMinutes(3));
        health.onThreadReplaced();
        assertThat(health.threadsKeepDying()).as("3 in 9 minutes, more than 2").isTrue();
        assertThat(health.live(State.RUNNING).up()).isFalse();
        advance(Duration.ofMinutes(2));
        assertThat(health.threadsKeepDying()).as("the first fell out of the window").isFalse();
        assertThat(health.live(State.RUNNING).up()).isTrue();
    }
}
