package io.cxpulse.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

import io.cxpulse.platform.Directories;
import io.cxpulse.platform.Ports;
import io.cxpulse.platform.cluster.LocalCluster;
import io.cxpulse.platform.process.ChildProcess;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * Faults injected into a running CX Pulse while an audited load runs: a cluster of three brokers, one ingest
 * service and two metrics-streams instances, each in its own process. Each fault is one phase of the audit with its
 * own segment, queue and touchpoints; at the end of a phase the load is drained (every event acknowledged) and the
 * pipeline's topics and figures are compared with the ledger, for that phase and every phase before it.
 */
final class FaultSuite implements AutoCloseable {
    static final String TOKEN = "audit-token";
    /** Every fault, in the order they run. */
    static final List<String> FAULTS = List.of("none", "broker-kill", "streams-kill", "scale-out-and-in",
            "registry-stop", "state-loss", "cluster-unreachable");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration CONVERGE_TIMEOUT = Duration.ofMinutes(3);

    /**
     * How long each part of a phase lasts and how hard the load pushes.
     *
     * @param before      load before the fault
     * @param after       load after the fault is over
     * @param down        how long a broker or the registry stays down
     * @param outage      how long every broker is unreachable
     * @param rate        events per second sent
     * @param batch       events per request
     * @param services    settings of the services over their defaults, as environment variables
     */
    record Timing(Duration before, Duration after, Duration down, Duration outage, double rate, int batch,
            Map<String, String> services) {
        /**
         * What CI runs: every fault, briefly, with shorter waits where the services only wait (the drain before a
         * stop, the session a stopped static member keeps).
         */
        static Timing bounded() {
            return new Timing(Duration.ofSeconds(4), Duration.ofSeconds(4), Duration.ofSeconds(10),
                    Duration.ofSeconds(20), 150, 20, Map.of("CXPULSE_HTTP_DRAIN_DELAY", "PT1S",
                            "CXPULSE_KAFKA_SESSION_TIMEOUT_MS", "15000"));
        }

        /** What {@code bench faults} runs by default: the services' own defaults. */
        static Timing full() {
            return new Timing(Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(30),
                    Duration.ofSeconds(60), 400, 50, Map.of());
        }

        Timing withRate(double eventsPerSecond) {
            return new Timing(before, after, down, outage, eventsPerSecond, batch, services);
        }

        Timing withOutage(Duration unreachable) {
            return new Timing(before, after, down, unreachable, rate, batch, services);
        }
    }

    /** One fault's outcome: the columns of the table. */
    record Row(String fault, long sent, long acknowledged, long retried, long counted, long lost, long doubled,
            Duration longestIngestGap, Duration answersBack, long probes, long notReady, long wrong,
            Duration exactAfter, List<String> problems) {
        boolean passed() {
            return problems.isEmpty();
        }
    }

    /** A metrics-streams instance. */
    private record Instance(String name, int port, Path stateDir, ChildProcess process) {
        String url() {
            return "http://127.0.0.1:" + port;
        }
    }

    private final ServiceJars jars;
    private final Path dir;
    private final Timing timing;
    private final PrintStream log;
    private final AuditLedger ledger = new AuditLedger(42);
    private final List<Instance> instances = new CopyOnWriteArrayList<>();
    private final List<String> phases = new ArrayList<>();
    private LocalCluster cluster;
    private ServiceProcesses services;
    private ChildProcess ingest;
    private AuditEmitter emitter;
    private AuditCheck check;
    private int nextInstance = 1;

    FaultSuite(ServiceJars jars, Path dir, Timing timing, PrintStream log) {
        this.jars = jars;
        this.dir = dir;
        this.timing = timing;
        this.log = log;
    }

    /** Starts the cluster, the registry, ingest and two metrics-streams instances. */
    void start() throws IOException, InterruptedException {
        long started = System.nanoTime();
        cluster = LocalCluster.start(new LocalCluster.Settings(3, 0, 0, dir.resolve("data"), dir.resolve("logs"),
                List.of("-Xmx384m")));
        services = new ServiceProcesses(jars, cluster.bootstrapServers(), cluster.schemaRegistryUrl(),
                dir.resolve("logs"));
        int ingestPort = Ports.free();
        Map<String, String> ingestSettings = new java.util.HashMap<>(timing.services());
        ingestSettings.put("CXPULSE_INGEST_TOKENS", "audit:" + TOKEN);
        // the session timeout is a consumer's setting: ingest has none
        ingestSettings.remove("CXPULSE_KAFKA_SESSION_TIMEOUT_MS");
        ingest = services.ingest("ingest-service", ingestPort, ingestSettings);
        String ingestUrl = "http://127.0.0.1:" + ingestPort;
        emitter = new AuditEmitter(ingestUrl, TOKEN, ledger, timing.batch(), timing.rate());
        check = new AuditCheck(ledger, cluster.bootstrapServers(), cluster.schemaRegistryUrl());
        addInstance();
        addInstance();
        ingest.awaitReady(() -> Http.ok(ingestUrl + "/health/ready"), START_TIMEOUT);
        for (Instance instance : instances) {
            instance.process().awaitReady(() -> Http.ok(instance.url() + "/health/ready"), START_TIMEOUT);
        }
        log.printf("Started 3 brokers, the registry, ingest and %d metrics-streams instances in %d s%n",
                instances.size(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    }

    /** Runs {@code fault} as the next phase and audits it and every phase before it. */
    Row run(String fault) throws Exception {
        String phase = fault;
        String frozen = phases.isEmpty() ? null : phases.get(phases.size() - 1);
        phases.add(phase);
        log.printf("%s: load at %.0f events/s%n", fault, timing.rate());
        Prober prober = new Prober(frozen);
        Thread probing = new Thread(prober, "audit-prober");
        probing.setDaemon(true);
        List<String> problems = new ArrayList<>();
        emitter.start(phase, 2);
        probing.start();
        Thread.sleep(timing.before().toMillis());
        long injected = System.nanoTime();
        inject(fault);
        Thread.sleep(timing.after().toMillis());
        if (!emitter.stopAndDrain(Duration.ofMinutes(3))) {
            problems.add("the emitter could not get every event acknowledged within 3 minutes of the load's end");
        }
        long drained = System.nanoTime();
        Duration gap = emitter.longestGap();
        if (emitter.unavailableWithoutRetryAfter() > 0) {
            problems.add(emitter.unavailableWithoutRetryAfter() + " answers of 503 or 429 without Retry-After");
        }
        emitter.rejections().stream().limit(5).forEach(r -> problems.add("rejected: " + r));

        AuditCheck.Figures figures = awaitExact(phase);
        Duration exactAfter = Duration.ofNanos(System.nanoTime() - drained);
        prober.stop();
        probing.join(10_000);
        if (!figures.exact()) {
            figures.differences().stream().limit(10).forEach(d -> problems.add(phase + ": " + d));
        }
        for (String earlier : phases.subList(0, phases.size() - 1)) {
            AuditCheck.Figures again = check.figures(earlier, instances.get(0).url(), urls());
            again.differences().stream().limit(5).forEach(d -> problems.add("earlier phase " + earlier + ": " + d));
        }
        AuditCheck.TopicFindings topics = check.topics(phase, check.onTopics());
        if (topics.missing() > 0) {
            problems.add(topics.missing() + " acknowledged events are not on their topic");
        }
        if (topics.duplicatedUnretried() > 0) {
            problems.add(topics.duplicatedUnretried() + " events sent once are on their topic more than once");
        }
        long sent = ledger.phase(phase).size();
        if (topics.acknowledged() < sent) {
            problems.add((sent - topics.acknowledged()) + " events were never acknowledged");
        }
        if (prober.wrong.get() > 0) {
            problems.add(prober.wrong.get() + " query answers were wrong: " + prober.firstWrong);
        }
        Duration answersBack = prober.lastBad.get() > injected
                ? Duration.ofNanos(prober.lastBad.get() - injected) : Duration.ZERO;
        Row row = new Row(fault, sent, topics.acknowledged(), topics.retried(), figures.counted(),
                figures.lost() + topics.missing(), figures.doubled(), gap, answersBack, prober.probes.get(),
                prober.notReady.get(), prober.wrong.get(), exactAfter, problems);
        log.printf("%s: %s%n", fault, row.passed() ? "exact" : "FAILED " + problems);
        return row;
    }

    private AuditCheck.Figures awaitExact(String phase) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + CONVERGE_TIMEOUT.toNanos();
        AuditCheck.Figures figures = null;
        String lastDifference = null;
        int round = 0;
        while (true) {
            try {
                // ask each instance in turn: every one must answer every key
                figures = check.figures(phase, instances.get(round++ % instances.size()).url(), urls());
                if (figures.exact()) {
                    if (lastDifference != null && System.nanoTime() - start > TimeUnit.SECONDS.toNanos(10)) {
                        log.printf("  exact after %d s; the last figure to agree: %s%n",
                                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), lastDifference);
                    }
                    return figures;
                }
                lastDifference = figures.differences().get(0);
            } catch (IOException | RuntimeException e) {
                figures = new AuditCheck.Figures(0, 0, 0, 0, List.of("no answer: " + e.getMessage()));
            }
            if (System.nanoTime() > deadline) {
                return figures;
            }
            Thread.sleep(500);
        }
    }

    private void inject(String fault) throws Exception {
        switch (fault) {
            case "none" -> {
            }
            case "broker-kill" -> {
                int node = transactionCoordinator();
                log.printf("  SIGKILL broker %d (it leads __transaction_state); back in %d s%n", node,
                        timing.down().toSeconds());
                cluster.kill(node);
                Thread.sleep(timing.down().toMillis());
                cluster.restart(node);
                cluster.awaitInSync(Duration.ofMinutes(2));
            }
            case "streams-kill" -> {
                Instance victim = instances.get(0);
                log.printf("  SIGKILL %s, then start it again on its state%n", victim.name());
                victim.process().kill();
                restart(victim, false);
            }
            case "scale-out-and-in" -> {
                Instance added = addInstance();
                log.printf("  add %s%n", added.name());
                added.process().awaitReady(() -> Http.ok(added.url() + "/health/ready"), START_TIMEOUT);
                Thread.sleep(timing.before().toMillis());
                Instance removed = instances.get(0);
                log.printf("  stop %s (SIGTERM)%n", removed.name());
                instances.remove(removed);
                removed.process().stop(Duration.ofSeconds(60));
            }
            case "registry-stop" -> {
                log.printf("  stop the schema registry for %d s%n", timing.down().toSeconds());
                cluster.stopRegistry();
                Thread.sleep(timing.down().toMillis());
                cluster.startRegistry();
            }
            case "state-loss" -> {
                Instance victim = instances.get(0);
                log.printf("  stop %s, delete its state directory, start it again%n", victim.name());
                victim.process().stop(Duration.ofSeconds(60));
                restart(victim, true);
            }
            case "cluster-unreachable" -> {
                log.printf("  every broker unreachable (SIGSTOP) for %d s%n", timing.outage().toSeconds());
                cluster.pauseBrokers();
                try {
                    Thread.sleep(timing.outage().toMillis());
                } finally {
                    cluster.resumeBrokers();
                }
            }
            default -> throw new IllegalArgumentException("no fault " + fault + "; the faults are " + FAULTS);
        }
    }

    /** The broker that leads {@code __transaction_state}, where metrics-streams' transactions are coordinated. */
    private int transactionCoordinator() {
        try (Admin admin = cluster.admin()) {
            TopicDescription topic = admin.describeTopics(List.of("__transaction_state")).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get("__transaction_state");
            return topic.partitions().get(0).leader().id();
        } catch (Exception e) {
            return 1;
        }
    }

    private Instance addInstance() throws IOException {
        int number = nextInstance++;
        String name = "metrics-streams-" + number;
        int port = Ports.free();
        Path state = dir.resolve("state").resolve(name);
        Instance instance = new Instance(name, port, state, services.streams(name, port, state, streamsSettings(
                name)));
        instances.add(instance);
        return instance;
    }

    private void restart(Instance old, boolean loseState) throws IOException, InterruptedException {
        if (loseState) {
            Directories.deleteRecursively(old.stateDir());
        }
        Instance again = new Instance(old.name(), old.port(), old.stateDir(),
                services.streams(old.name(), old.port(), old.stateDir(), streamsSettings(old.name())));
        instances.set(instances.indexOf(old), again);
        again.process().awaitReady(() -> Http.ok(again.url() + "/health/ready"), START_TIMEOUT);
    }

    private Map<String, String> streamsSettings(String name) {
        List<String> touchpoints = new ArrayList<>();
        FAULTS.forEach(fault -> touchpoints.addAll(AuditLedger.touchpoints(fault)));
        Map<String, String> settings = new java.util.HashMap<>(timing.services());
        settings.putAll(Map.of("CXPULSE_KAFKA_GROUP_INSTANCE_ID", "audit-" + name,
                "CXPULSE_METRICS_SEGMENTS", String.join(",", FAULTS.stream().map(AuditLedger::segment).toList()),
                "CXPULSE_METRICS_QUEUES", String.join(",", FAULTS.stream().map(AuditLedger::queue).toList()),
                "CXPULSE_METRICS_TOUCHPOINTS", String.join(",", touchpoints)));
        return settings;
    }

    private List<String> urls() {
        return instances.stream().map(Instance::url).toList();
    }

    @Override
    public void close() {
        try {
            // every service at once: each drains and closes on its own
            List<ChildProcess> running = new ArrayList<>(instances.stream().map(Instance::process).toList());
            if (ingest != null) {
                running.add(ingest);
            }
            running.forEach(process -> ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy));
            for (ChildProcess process : running) {
                process.stop(Duration.ofSeconds(60));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            instances.forEach(instance -> ProcessHandle.of(instance.process().pid())
                    .ifPresent(ProcessHandle::destroyForcibly));
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    /**
     * Asks every live instance, over and over, for the figures of a phase already audited, by each kind of query
     * (one key's NPS, forwarded to its owner; response times and friction, gathered from every instance): each
     * answer must be those figures or a 503 with Retry-After, never other figures.
     */
    private final class Prober implements Runnable {
        /** A query's right answer: what it is, and the test of an answer. */
        private record Expected(String figures, Predicate<JsonNode> test) {
        }

        private final String phase;
        private final Map<String, Expected> queries = new java.util.LinkedHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong probes = new AtomicLong();
        final AtomicLong notReady = new AtomicLong();
        final AtomicLong wrong = new AtomicLong();
        final AtomicLong lastBad = new AtomicLong();
        volatile String firstWrong;

        Prober(String frozenPhase) {
            this.phase = frozenPhase;
            if (frozenPhase == null) {
                return;
            }
            AuditLedger.Nps nps = ledger.nps(frozenPhase);
            queries.put("/v1/nps?window=24h&segment=" + AuditLedger.segment(frozenPhase), new Expected(
                    "n " + nps.n() + ", " + nps.promoters() + " promoters, " + nps.passives() + " passives, "
                            + nps.detractors() + " detractors",
                    answer -> answer.path("n").asLong() == nps.n()
                            && answer.path("promoters").asLong() == nps.promoters()
                            && answer.path("passives").asLong() == nps.passives()
                            && answer.path("detractors").asLong() == nps.detractors()));
            long tickets = ledger.tickets(frozenPhase).n();
            queries.put("/v1/response-times?window=24h&queue=" + AuditLedger.queue(frozenPhase), new Expected(
                    "n " + tickets, answer -> answer.path("n").asLong() == tickets));
            Map<String, Long> expected = new java.util.TreeMap<>();
            ledger.touchpointFigures(frozenPhase).forEach((key, figures) -> expected.put(key, (long) figures.events()));
            queries.put("/v1/friction/top?window=24h&limit=100", new Expected("events " + expected, answer -> {
                Map<String, JsonNode> items = AuditCheck.itemsByTouchpoint(answer);
                Map<String, Long> events = new java.util.TreeMap<>();
                expected.keySet().stream().filter(items::containsKey)
                        .forEach(key -> events.put(key, items.get(key).path("events").asLong()));
                return events.equals(expected);
            }));
        }

        void stop() {
            running.set(false);
        }

        @Override
        public void run() {
            if (phase == null) {
                return;
            }
            while (running.get()) {
                for (Instance instance : instances) {
                    queries.forEach((query, correct) -> probe(instance, query, correct));
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void probe(Instance instance, String query, Expected correct) {
            HttpResponse<String> response;
            try {
                response = Http.CLIENT.send(HttpRequest.newBuilder(URI.create(instance.url() + query))
                        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                // not listening (killed or stopping): a load balancer's health check takes it out
                lastBad.set(System.nanoTime());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            probes.incrementAndGet();
            if (response.statusCode() == 200 && correct.test().test(Http.json(response.body()))) {
                return;
            }
            lastBad.set(System.nanoTime());
            if (response.statusCode() == 503 && response.headers().firstValue("Retry-After").isPresent()) {
                notReady.incrementAndGet();
                return;
            }
            wrong.incrementAndGet();
            if (firstWrong == null) {
                firstWrong = instance.name() + " answered " + query + " with " + response.statusCode() + " "
                        + response.body() + " (phase " + phase + ": expected " + correct.figures() + ")";
            }
        }
    }
}
