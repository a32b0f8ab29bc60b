package io.cxpulse.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cxpulse.avro.Channel;
import io.cxpulse.avro.FrictionSignal;
import io.cxpulse.avro.Outcome;
import io.cxpulse.avro.SurveyMetric;
import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.avro.TicketEvent;
import io.cxpulse.avro.TicketEventType;
import io.cxpulse.avro.TicketPriority;
import io.cxpulse.avro.TouchpointEvent;
import io.cxpulse.common.LayeredConfig;
import io.cxpulse.platform.Directories;
import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.platform.Ports;
import io.cxpulse.platform.process.ChildProcess;
import io.cxpulse.schemas.registry.SchemaRegistryClient;
import io.cxpulse.schemas.serde.AvroSerializer;
import io.cxpulse.streams.MetricsStreamsConfig;
import io.cxpulse.streams.MetricsTopology;
import io.cxpulse.streams.metrics.FrictionMetrics;
import io.cxpulse.streams.metrics.SurveyMetrics;
import io.cxpulse.streams.metrics.TicketMetrics;
import io.cxpulse.streams.state.BoundedRocksDbMemory;
import io.cxpulse.streams.survey.SurveyObserver;
import io.cxpulse.streams.survey.SurveyTopology;
import io.cxpulse.streams.topic.Topics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Measures, in one run on one local broker: the survey topology's throughput against a pass-through Streams app
 * (same topic, same guarantee, one thread each); the full topology's (surveys, tickets, friction and the join, as
 * metrics-streams composes them) against a pass-through app over the same three topics; the on-disk size of the
 * ticket and customer state stores; and freshness: from an event's 202 at ingest to its effect in {@code /v1/nps},
 * with ingest and metrics-streams as separate processes on their default settings, and that process's RSS.
 */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = "Benchmark the survey and full topologies against pass-through Streams apps, and measure "
                + "store sizes, freshness and RSS.")
final class BenchStreamsCommand implements Callable<Integer> {
    private static final String INPUT = "bench.survey-responses";
    /** The same responses as {@link #INPUT}, over 30 days and in shuffled order: a backfill. */
    private static final String BACKFILL = "bench.survey-responses-backfill";
    private static final String TICKETS = "bench.ticket-events";
    private static final String TOUCHPOINT_EVENTS = "bench.touchpoints";
    private static final String[] STEPS = {"plan.compare", "cart.review", "checkout.address", "checkout.payment",
            "order.confirm"};
    private static final int CUSTOMERS = 20_000;
    private static final int EVENTS_PER_TICKET = 4;

    /** What a throughput run runs. */
    enum Mode {
        /** Copies the survey topic's bytes. */
        PASS_SURVEYS(List.of(INPUT), List.of()),
        /** The survey topology alone. */
        SURVEYS(List.of(INPUT), List.of("survey-by-dimension")),
        /** Copies the backfill topic's bytes. */
        PASS_BACKFILL(List.of(BACKFILL), List.of()),
        /** The survey topology over the backfill. */
        SURVEYS_BACKFILL(List.of(BACKFILL), List.of("survey-by-dimension")),
        /** Copies the bytes of the three topics. */
        PASS_ALL(List.of(INPUT, TICKETS, TOUCHPOINT_EVENTS), List.of()),
        /** The whole application's topology. */
        FULL(List.of(INPUT, TICKETS, TOUCHPOINT_EVENTS), List.of("survey-by-dimension", "ticket-by-cell",
                "friction-ticket-openings", "friction-by-touchpoint"));

        final List<String> inputs;
        final List<String> repartitions;

        Mode(List<String> inputs, List<String> repartitions) {
            this.inputs = inputs;
            this.repartitions = repartitions;
        }
    }
    private static final String[] SEGMENTS = {"smb", "mid-market", "enterprise", "consumer", "public-sector"};
    private static final String[] TOUCHPOINTS = {"checkout.payment", "onboarding.kyc", "support.chat",
            "billing.invoice", "account.settings", "search.results"};

    @Option(names = "--events", defaultValue = "1000000", description = "Events in the throughput runs "
            + "(default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds of pass-throughs and topologies; the "
            + "round with the median ratio is reported (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--commit-interval", defaultValue = "100", description = "commit.interval.ms of both apps in "
            + "the throughput runs (default: ${DEFAULT-VALUE}, Kafka Streams' default under exactly_once_v2).")
    long commitInterval;

    @Option(names = "--threads", defaultValue = "1", description = "num.stream.threads of both apps in the "
            + "throughput runs (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--no-meters", description = "Build the topologies with no-op observers instead of the "
            + "Micrometer meters metrics-streams registers (to see what the meters cost).")
    boolean noMeters;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A metrics-streams setting for the topologies "
            + "of the throughput runs, over its default (repeatable; for example "
            + "survey.dedup.ids.in.memory=0).")
    Map<String, String> settings = new HashMap<>();

    @Option(names = "--probes", defaultValue = "200", description = "Freshness probes; 0 skips the freshness run "
            + "(default: ${DEFAULT-VALUE}).")
    int probes;

    @Option(names = "--load", defaultValue = "1000", description = "Background events/s during the freshness run "
            + "(default: ${DEFAULT-VALUE}).")
    int load;

    @Mixin
    ServiceJars jars;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (rounds < 1 || events < 1) {
            throw new ParameterException(spec.commandLine(), "--rounds and --events must be at least 1");
        }
        config();
        Path dir = Files.createTempDirectory("cxpulse-bench-streams");
        System.out.println("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + Runtime.version());
        try (LocalPlatform platform = LocalPlatform.start(0, 0, dir.resolve("data"))) {
            for (String topic : List.of(INPUT, BACKFILL, TICKETS, TOUCHPOINT_EVENTS)) {
                platform.createTopic(topic, 6, Map.of());
            }
            fill(platform);
            run(platform, dir, "bench-warm-up-pass-through", Mode.PASS_SURVEYS);
            run(platform, dir, "bench-warm-up-survey", Mode.SURVEYS);
            System.out.println("Warmed up: both apps ran over the whole input once (not reported)");
            List<double[]> measured = new ArrayList<>();
            List<double[]> backfill = new ArrayList<>();
            List<double[]> full = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                double passThrough = run(platform, dir, "bench-pass-through-" + round, Mode.PASS_SURVEYS);
                double survey = run(platform, dir, "bench-survey-" + round, Mode.SURVEYS);
                measured.add(new double[] {passThrough, survey, survey / passThrough});
                System.out.printf("Round %d: pass-through %,.0f events/s; survey topology %,.0f events/s (%.2f)%n",
                        round, passThrough, survey, survey / passThrough);
                double passBackfill = run(platform, dir, "bench-pass-backfill-" + round, Mode.PASS_BACKFILL);
                double late = run(platform, dir, "bench-backfill-" + round, Mode.SURVEYS_BACKFILL);
                backfill.add(new double[] {passBackfill, late, late / passBackfill});
                System.out.printf("Round %d: pass-through of the backfill %,.0f events/s; survey topology over it "
                        + "%,.0f events/s (%.2f)%n", round, passBackfill, late, late / passBackfill);
                double passAll = run(platform, dir, "bench-pass-through-all-" + round, Mode.PASS_ALL);
                double whole = run(platform, dir, "bench-full-" + round, Mode.FULL);
                full.add(new double[] {passAll, whole, whole / passAll});
                System.out.printf("Round %d: pass-through of 3 topics %,.0f events/s; full topology %,.0f events/s "
                        + "(%.2f)%n", round, passAll, whole, whole / passAll);
            }
            StoreSizes sizes = storeSizes(dir.resolve("state").resolve("bench-full-" + rounds));
            long liveState = surveyState(dir.resolve("state").resolve("bench-survey-" + rounds));
            long backfillState = surveyState(dir.resolve("state").resolve("bench-backfill-" + rounds));
            Histogram freshness = probes > 0 ? freshness(platform, dir) : new Histogram(3);
            double[] survey = median(measured);
            System.out.println();
            System.out.println("| figure | measured | ratio | target |");
            System.out.println("|---|---|---|---|");
            System.out.printf("| pass-through Streams app, exactly_once_v2, %d thread(s) (the limit) | %,.0f events/s "
                    + "| 1.00 | |%n", threads, survey[0]);
            System.out.printf("| survey topology, 5 dimensions, exactly_once_v2, %d thread(s) | %,.0f events/s | %.2f "
                    + "(rounds: %s) | >= 0.50: %s |%n", threads, survey[1], survey[2], measured.stream()
                    .map(m -> String.format("%.2f", m[2])).collect(Collectors.joining(", ")),
                    survey[2] >= 0.5 ? "met" : "NOT met");
            double[] late = median(backfill);
            System.out.printf("| survey topology over a backfill: the same responses spread over 30 days, shuffled | "
                    + "%,.0f events/s | %.2f of its pass-through (%,.0f events/s; rounds: %s); %.2f of the live "
                    + "case's ratio | |%n", late[1], late[2], late[0], backfill.stream()
                    .map(m -> String.format("%.2f", m[2])).collect(Collectors.joining(", ")), late[2] / survey[2]);
            System.out.printf("| survey state on disk (buckets and dedup batches, RocksDB tables) | live: %.1f MiB; "
                    + "backfill over 30 days: %.1f MiB | | |%n", liveState / 1024.0 / 1024.0,
                    backfillState / 1024.0 / 1024.0);
            double[] whole = median(full);
            System.out.printf("| pass-through Streams app over surveys, tickets and touchpoints, %d thread(s) | "
                    + "%,.0f events/s | 1.00 | |%n", threads, whole[0]);
            System.out.printf("| full topology (dedup, surveys, tickets, friction, the join), exactly_once_v2, %d "
                    + "thread(s) | %,.0f events/s | %.2f (rounds: %s) | >= 0.50: %s |%n", threads, whole[1],
                    whole[2], full.stream().map(m -> String.format("%.2f", m[2]))
                            .collect(Collectors.joining(", ")), whole[2] >= 0.5 ? "met" : "NOT met");
            System.out.printf("| ticket state (ticket-lifecycles, RocksDB tables on disk) | %.0f MiB per million "
                    + "tickets | | |%n", sizes.tickets() / 1024.0 / 1024.0 * 1e6 / ticketCount());
            System.out.printf("| customer history (friction-customer-history, RocksDB tables on disk) | %.0f MiB "
                    + "per million customers | | |%n", sizes.customers() / 1024.0 / 1024.0 * 1e6 / CUSTOMERS);
            if (freshness.getTotalCount() == 0) {
                System.out.println("| freshness, 202 at ingest to /v1/nps | not measured (--probes 0) | | |");
            } else {
                double p99 = freshness.getValueAtPercentile(99) / 1e6;
                System.out.printf("| freshness, 202 at ingest to /v1/nps, %d probes at %d events/s | p50 %.0f ms, "
                        + "p99 %.0f ms, max %.0f ms | | p99 <= 2 s: %s |%n", freshness.getTotalCount(), load,
                        freshness.getValueAtPercentile(50) / 1e6, p99, freshness.getMaxValue() / 1e6,
                        p99 <= 2_000 ? "met" : "NOT met");
            }
            if (streamsRss > 0) {
                System.out.printf("| metrics-streams RSS after the freshness run (separate process, default JVM "
                        + "options) | %,d MiB | | |%n", streamsRss / 1024 / 1024);
            }
            System.out.printf("(each app's figures are from the round whose ratio is the median of the %d rounds)%n",
                    rounds);
        } finally {
            Directories.deleteRecursively(dir);
        }
        return 0;
    }

    private long streamsRss = -1;

    /** The settings of the topologies: metrics-streams' defaults under {@code --set}, checked as it checks them. */
    private MetricsStreamsConfig config() {
        Map<String, String> values = new HashMap<>(MetricsStreamsConfig.defaults());
        values.putAll(settings);
        LayeredConfig layered = LayeredConfig.of(values);
        List<String> unknown = MetricsStreamsConfig.unknownKeys(layered);
        if (!unknown.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--set: unknown metrics-streams settings " + unknown);
        }
        try {
            return MetricsStreamsConfig.from(layered);
        } catch (ConfigException e) {
            throw new ParameterException(spec.commandLine(), "--set: " + e.getMessage());
        }
    }

    /**
     * The round (pass-through, topology, ratio) whose ratio is the median (the lower middle one of an even count):
     * a round's pass-through and topology run one after the other, and the machine's speed drifts between them.
     */
    static double[] median(List<double[]> rounds) {
        List<double[]> byRatio = new ArrayList<>(rounds);
        byRatio.sort((a, b) -> Double.compare(a[2], b[2]));
        return byRatio.get((byRatio.size() - 1) / 2);
    }

    private int ticketCount() {
        return Math.max(1, events / 4 / EVENTS_PER_TICKET);
    }

    /** The bytes of the ticket and customer stores' tables, over every task of an app's state directory. */
    record StoreSizes(long tickets, long customers) {
    }

    private static StoreSizes storeSizes(Path appState) throws java.io.IOException {
        long tickets = 0;
        long customers = 0;
        if (Files.isDirectory(appState)) {
            try (var tasks = Files.list(appState)) {
                for (Path task : tasks.toList()) {
                    tickets += size(task.resolve("rocksdb").resolve("ticket-lifecycles"));
                    customers += size(task.resolve("rocksdb").resolve("friction-customer-history"));
                }
            }
        }
        return new StoreSizes(tickets, customers);
    }

    /** The survey topology's state on disk: its buckets and its deduplication batches and index. */
    private static long surveyState(Path appState) throws java.io.IOException {
        long bytes = 0;
        if (Files.isDirectory(appState)) {
            try (var tasks = Files.list(appState)) {
                for (Path task : tasks.toList()) {
                    for (String store : List.of("survey-buckets-1m", "survey-buckets-1h", "survey-seen-event-ids",
                            "survey-seen-event-ids-batches")) {
                        bytes += size(task.resolve("rocksdb").resolve(store));
                    }
                }
            }
        }
        return bytes;
    }

    private static long size(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = Files.walk(dir)) {
            // the tables only: RocksDB's own LOG and OPTIONS files are the same size however much it holds
            return files.filter(file -> file.getFileName().toString().endsWith(".sst"))
                    .mapToLong(file -> file.toFile().length()).sum();
        }
    }

    /**
     * Writes the input, spread over the 50 minutes before now and mostly in time order: {@code events} survey
     * responses; a quarter as many ticket events (OPENED, AGENT_REPLIED, RESOLVED, CLOSED per ticket); half as
     * many touchpoints, journeys of five steps by {@value #CUSTOMERS} customers, a fifth of them with friction.
     */
    private void fill(LocalPlatform platform) {
        fillSurveys(platform);
        SchemaRegistryClient registry = SchemaRegistryClient.forUrl(platform.schemaRegistryUrl());
        Map<String, Object> serde = Map.of("schema.registry.url", platform.schemaRegistryUrl());
        // a ticket's last event is 12 minutes after its first: start early enough that none is in the future
        Instant start = Instant.now().minus(Duration.ofMinutes(65)).truncatedTo(ChronoUnit.MILLIS);
        long spread = Duration.ofMinutes(50).toMillis();
        try (KafkaProducer<String, TicketEvent> producer = new KafkaProducer<>(producerConfig(platform),
                new StringSerializer(), new AvroSerializer<TicketEvent>(registry, serde, false))) {
            TicketEventType[] steps = {TicketEventType.OPENED, TicketEventType.AGENT_REPLIED, TicketEventType.RESOLVED,
                TicketEventType.CLOSED};
            int tickets = ticketCount();
            for (int t = 0; t < tickets; t++) {
                Instant opened = start.plusMillis(spread * t / tickets);
                for (int e = 0; e < EVENTS_PER_TICKET; e++) {
                    Instant at = opened.plus(Duration.ofMinutes(4L * e));
                    TicketEvent event = TicketEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                            .setOccurredAt(at).setReceivedAt(at.plusSeconds(1)).setSource("bench")
                            .setCustomerId("cust-" + (t % CUSTOMERS)).setTicketId("T-" + t).setType(steps[e])
                            .setPriority(TicketPriority.values()[t % 4]).setChannel(t % 2 == 0 ? Channel.EMAIL
                                    : Channel.CHAT).setQueue(t % 3 == 0 ? "billing" : "general").build();
                    producer.send(new ProducerRecord<>(TICKETS, event.getTicketId(), event));
                }
            }
            producer.flush();
        }
        int touches = events / 2;
        try (KafkaProducer<String, TouchpointEvent> producer = new KafkaProducer<>(producerConfig(platform),
                new StringSerializer(), new AvroSerializer<TouchpointEvent>(registry, serde, false))) {
            for (int i = 0; i < touches; i++) {
                Instant at = start.plusMillis(spread * i / touches);
                boolean friction = i % 5 == 3;
                TouchpointEvent event = TouchpointEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                        .setOccurredAt(at).setReceivedAt(at.plusSeconds(1)).setSource("bench")
                        .setCustomerId("cust-" + ((i / STEPS.length) % CUSTOMERS))
                        .setChannel(i % 7 == 0 ? Channel.PHONE : Channel.WEB).setTouchpoint(STEPS[i % STEPS.length])
                        .setJourneyId("j-" + i / STEPS.length)
                        .setOutcome(friction && i % 2 == 0 ? Outcome.FAILED : Outcome.COMPLETED)
                        .setFrictionSignals(friction ? List.of(FrictionSignal.ERROR) : List.of())
                        .setDurationMs(1_000L + i % 30_000).build();
                producer.send(new ProducerRecord<>(TOUCHPOINT_EVENTS, event.getCustomerId(), event));
            }
            producer.flush();
        }
        System.out.printf("Input: %,d ticket events (%,d tickets) on %s, %,d touchpoints on %s (6 partitions)%n",
                ticketCount() * EVENTS_PER_TICKET, ticketCount(), TICKETS, touches, TOUCHPOINT_EVENTS);
    }

    private static Map<String, Object> producerConfig(LocalPlatform platform) {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    }

    /** Writes the survey responses. */
    private void fillSurveys(LocalPlatform platform) {
        SchemaRegistryClient registry = SchemaRegistryClient.forUrl(platform.schemaRegistryUrl());
        AvroSerializer<SurveyResponse> values = new AvroSerializer<>(registry,
                Map.of("schema.registry.url", platform.schemaRegistryUrl()), false);
        Map<String, Object> config = producerConfig(platform);
        Instant start = Instant.now().minus(Duration.ofMinutes(50)).truncatedTo(ChronoUnit.MILLIS);
        long spread = Duration.ofMinutes(50).toMillis();
        try (KafkaProducer<String, SurveyResponse> producer = new KafkaProducer<>(config, new StringSerializer(),
                values)) {
            for (int i = 0; i < events; i++) {
                SurveyResponse response = response(i, start.plusMillis(spread * i / events));
                producer.send(new ProducerRecord<>(INPUT, response.getCustomerId(), response));
            }
            // the backfill: the same responses over the last 30 days (within what ingest accepts), received now,
            // in an order shuffled with a fixed seed
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            Instant from = now.minus(Duration.ofDays(30)).plus(Duration.ofHours(1));
            long days = Duration.between(from, now.minus(Duration.ofMinutes(1))).toMillis();
            int[] order = new int[events];
            for (int i = 0; i < events; i++) {
                order[i] = i;
            }
            Random random = new Random(30);
            for (int i = events - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
            for (int i : order) {
                SurveyResponse response = response(i, from.plusMillis(days * i / events));
                response.setReceivedAt(now);
                producer.send(new ProducerRecord<>(BACKFILL, response.getCustomerId(), response));
            }
            producer.flush();
        }
        System.out.printf("Input: %,d Avro survey responses on %s, and the same over 30 days in shuffled order on "
                + "%s (6 partitions each)%n", events, INPUT, BACKFILL);
    }

    private static SurveyResponse response(int i, Instant occurredAt) {
        SurveyMetric metric = i % 5 == 3 ? SurveyMetric.CSAT : i % 5 == 4 ? SurveyMetric.CES : SurveyMetric.NPS;
        int score = switch (metric) {
            case CSAT -> 1 + (i * 7) % 5;
            case CES -> 1 + (i * 3) % 7;
            default -> (i * 7) % 11;
        };
        Channel[] channels = Channel.values();
        return SurveyResponse.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(occurredAt)
                .setReceivedAt(occurredAt.plusSeconds(1)).setSource("bench").setCustomerId("cust-" + (i % 20_000))
                .setSegment(SEGMENTS[i % SEGMENTS.length]).setChannel(channels[i % (channels.length - 1)])
                .setSurveyId("s").setMetric(metric).setScore(score).setTouchpoint(TOUCHPOINTS[i % TOUCHPOINTS.length])
                .build();
    }

    /**
     * Runs one app over the whole input: events/s from the moment it is RUNNING (its group joined, its tasks
     * assigned) until it has committed past all of it.
     */
    private double run(LocalPlatform platform, Path dir, String applicationId, Mode mode) throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        boolean topology = mode == Mode.SURVEYS || mode == Mode.SURVEYS_BACKFILL || mode == Mode.FULL;
        for (String output : topology ? List.of(".aggregates", ".ticket-aggregates", ".friction-aggregates", ".alerts",
                ".dead-letter") : List.of(".out")) {
            platform.createTopic(applicationId + output, 6, Map.of());
        }
        if (topology) {
            SchemaRegistryClient registry = SchemaRegistryClient.forUrl(platform.schemaRegistryUrl());
            Map<String, String> names = Map.of("survey-responses", mode.inputs.get(0), "ticket-events", TICKETS,
                    "touchpoints", TOUCHPOINT_EVENTS, "survey-aggregates", applicationId + ".aggregates",
                    "ticket-aggregates", applicationId + ".ticket-aggregates", "friction-aggregates",
                    applicationId + ".friction-aggregates", "alerts", applicationId + ".alerts", "dead-letter",
                    applicationId + ".dead-letter");
            Topics topics = Topics.create(registry, Map.of("schema.registry.url", platform.schemaRegistryUrl()),
                    names);
            // The meters metrics-streams composes (MetricsStreamsApp), unless --no-meters; never scraped here.
            MeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            MetricsStreamsConfig config = config();
            MetricsStreamsConfig.Labels labels = config.labels();
            if (mode == Mode.FULL) {
                MetricsTopology.addTo(builder, topics, config, noMeters ? MetricsTopology.Observers.NONE
                        : new MetricsTopology.Observers(new SurveyMetrics(meters, labels.segmentSet()),
                                new TicketMetrics(meters, labels.queueSet()),
                                new FrictionMetrics(meters, labels.touchpointSet())));
            } else {
                // the live and the backfill cases alike
                SurveyTopology.build(builder, topics, config.survey(),
                        noMeters ? SurveyObserver.NONE : new SurveyMetrics(meters, labels.segmentSet()));
            }
        } else {
            for (String input : mode.inputs) {
                builder.stream(input, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("copy-" + input))
                        .to(applicationId + ".out", Produced.with(Serdes.String(), Serdes.ByteArray())
                                .withName("out-" + input));
            }
        }
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        properties.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval);
        properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        if (topology) {
            // RocksDB bounded as metrics-streams bounds it
            properties.putAll(BoundedRocksDbMemory.streamsConfig(config().instance().rocksDbMemoryMb()));
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", platform.bootstrapServers()));
                KafkaStreams streams = new KafkaStreams(builder.build(), properties)) {
            java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING) {
                    running.countDown();
                }
            });
            streams.start();
            if (!running.await(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException(applicationId + " did not start within 2 minutes");
            }
            long start = System.nanoTime();
            List<String> topics = new ArrayList<>(mode.inputs);
            mode.repartitions.forEach(name -> topics.add(applicationId + "-" + name + "-repartition"));
            while (!caughtUp(admin, applicationId, topics)) {
                if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(15)) {
                    throw new IllegalStateException(applicationId + " did not finish within 15 minutes");
                }
                Thread.sleep(50);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            streams.close(Duration.ofSeconds(30));
            long total = events + (mode.inputs.size() > 1 ? (long) ticketCount() * EVENTS_PER_TICKET + events / 2 : 0);
            return total / seconds;
        }
    }

    /**
     * Whether the app's committed offsets have reached the end of every partition of {@code topics} (a
     * transaction marker past the last record aside).
     */
    private static boolean caughtUp(Admin admin, String group, List<String> topics) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> wanted = new HashMap<>();
        for (String topic : topics) {
            if (!admin.listTopics().names().get().contains(topic)) {
                return false;
            }
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(p -> wanted.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        }
        var ends = admin.listOffsets(wanted).all().get();
        for (var end : ends.entrySet()) {
            OffsetAndMetadata offset = committed.get(end.getKey());
            long position = offset == null ? 0 : offset.offset();
            boolean input = List.of(INPUT, TICKETS, TOUCHPOINT_EVENTS).contains(end.getKey().topic());
            if (position < end.getValue().offset() - 1 || (input && position < end.getValue().offset())) {
                return false;
            }
        }
        return true;
    }

    /** Freshness under load: probes of one event each, timed from the 202 to their count in /v1/nps. */
    private Histogram freshness(LocalPlatform platform, Path dir) throws Exception {
        int ingestPort = Ports.free();
        int streamsPort = Ports.free();
        String ingestUrl = "http://127.0.0.1:" + ingestPort;
        String streamsUrl = "http://127.0.0.1:" + streamsPort;
        ServiceProcesses services = new ServiceProcesses(jars, platform.bootstrapServers(),
                platform.schemaRegistryUrl(), dir);
        ChildProcess ingest = services.ingest("ingest-service", ingestPort, Map.of());
        ChildProcess streams = services.streams("metrics-streams", streamsPort, dir.resolve("freshness-state"),
                Map.of());
        AtomicBoolean loading = new AtomicBoolean(true);
        Thread background = new Thread(() -> backgroundLoad(ingestUrl, loading), "bench-load");
        try {
            ingest.awaitReady(() -> Http.ok(ingestUrl + "/health/ready"), Duration.ofSeconds(120));
            streams.awaitReady(() -> Http.ok(streamsUrl + "/health/ready"), Duration.ofSeconds(120));
            background.start();
            Thread.sleep(5_000);
            Histogram histogram = new Histogram(TimeUnit.MINUTES.toNanos(2), 3);
            String run = UUID.randomUUID().toString().substring(0, 8);
            for (int i = 0; i < probes; i++) {
                String segment = "probe-" + run + "-" + i;
                ArrayNode body = TrafficModel.JSON.createArrayNode();
                body.add(event(segment, Instant.now()));
                if (post(ingestUrl, body) != 202) {
                    continue;
                }
                long accepted = System.nanoTime();
                String query = streamsUrl + "/v1/nps?window=1h&segment=" + segment;
                while (!Http.get(query).contains("\"n\":1,")) {
                    if (System.nanoTime() - accepted > TimeUnit.MINUTES.toNanos(1)) {
                        throw new IllegalStateException("probe " + segment + " not visible after a minute");
                    }
                    Thread.sleep(5);
                }
                histogram.recordValue(System.nanoTime() - accepted);
                Thread.sleep(100);
            }
            streamsRss = rss(streams.pid());
            return histogram;
        } finally {
            loading.set(false);
            background.join(10_000);
            streams.stop(Duration.ofSeconds(30));
            ingest.stop(Duration.ofSeconds(30));
        }
    }

    /** A process's resident set size in bytes, from /proc (-1 where there is none). */
    private static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private void backgroundLoad(String ingestUrl, AtomicBoolean loading) {
        int batch = 100;
        long interval = TimeUnit.SECONDS.toNanos(1) * batch / Math.max(load, 1);
        long next = System.nanoTime();
        int i = 0;
        while (loading.get()) {
            ArrayNode body = TrafficModel.JSON.createArrayNode();
            for (int j = 0; j < batch; j++, i++) {
                body.add(event(SEGMENTS[i % SEGMENTS.length], Instant.now()));
            }
            post(ingestUrl, body);
            next += interval;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static ObjectNode event(String segment, Instant at) {
        ObjectNode event = TrafficModel.JSON.createObjectNode();
        event.put("occurredAt", at.truncatedTo(ChronoUnit.MILLIS).toString());
        event.put("customerId", "cust-" + Math.floorMod(segment.hashCode(), 1_000));
        event.put("segment", segment);
        event.put("channel", "WEB");
        event.put("surveyId", "relationship-nps");
        event.put("metric", "NPS");
        event.put("score", Math.floorMod(segment.hashCode(), 11));
        return event;
    }

    private static int post(String url, ArrayNode body) {
        return Http.postJson(url + "/v1/survey-responses", "dev-token",
                body.toString().getBytes(StandardCharsets.UTF_8));
    }
}
