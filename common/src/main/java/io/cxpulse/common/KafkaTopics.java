package io.cxpulse.common;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creating the topics a service writes, as its start-up does when {@code topics.create} is set. */
public final class KafkaTopics {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);

    private KafkaTopics() {
    }

    /** The admin client settings among {@code kafka} (the pass-through {@code kafka.*} settings). */
    public static Map<String, Object> adminConfig(Map<String, Object> kafka) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.keySet().retainAll(AdminClientConfig.configNames());
        return config;
    }

    /**
     * Creates the topics that do not exist yet, each with {@code partitions} partitions and the broker's default
     * replication factor; a topic that already exists is fine (a timed-out create may have succeeded too).
     *
     * @throws IllegalStateException naming the topic, when one cannot be created within {@code timeout}
     */
    public static void create(Admin admin, Collection<String> names, int partitions, Duration timeout) {
        admin.createTopics(names.stream().map(name -> new NewTopic(name, partitions, (short) -1)).toList())
                .values().forEach((name, future) -> {
                    try {
                        future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                        LOG.info("Created topic {} with {} partitions", name, partitions);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw new IllegalStateException("cannot create topic " + name + ": "
                                    + e.getCause().getMessage(), e.getCause());
                        }
                    } catch (TimeoutException e) {
                        throw new IllegalStateException("timed out creating topic " + name, e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted creating topic " + name, e);
                    }
                });
    }
}
