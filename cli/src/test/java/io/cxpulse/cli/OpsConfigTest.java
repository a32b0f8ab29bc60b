package io.cxpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The operations files in {@code ops/}: Prometheus's configuration and rules pass {@code promtool check config}
 * and their unit tests ({@code promtool test rules}), Alertmanager's configuration passes {@code amtool
 * check-config}, every alert has its annotations, a runbook and a test, and the dashboards are well formed
 * ({@link ComposeFileTest} checks the compose files). The tools come from Debian's {@code prometheus}
 * and {@code prometheus-alertmanager} packages and npm, which {@code .ci/run} installs; without them the tool
 * checks are skipped, unless {@code CXPULSE_REQUIRE_OPS_TOOLS} is set (as CI sets it), when they fail.
 */
class OpsConfigTest {
    private static final Path OPS = Path.of("..", "ops").toAbsolutePath().normalize();
    private static final Path PROMETHEUS = OPS.resolve("prometheus");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void shouldPassPromtoolsConfigCheckAndEveryRuleUnitTest() throws Exception {
        requireTool("promtool");
        run(PROMETHEUS, "promtool", "check", "config", "prometheus.yml");
        run(PROMETHEUS, "promtool", "check", "config", "prometheus-compose.yml");
        List<String> command = new ArrayList<>(List.of("promtool", "test", "rules"));
        command.addAll(testFiles().stream().map(file -> PROMETHEUS.relativize(file).toString()).toList());
        String output = run(PROMETHEUS, command.toArray(String[]::new));
        assertThat(output).doesNotContain("FAILED");
    }

    @Test
    void shouldPassAmtoolsConfigCheck() throws Exception {
        requireTool("amtool");
        run(OPS, "amtool", "check-config", "alertmanager/alertmanager.yml");
    }

    @Test
    void shouldGiveEveryAlertItsAnnotationsARunbookAndATest() throws IOException {
        JsonNode rules = YAML.readTree(PROMETHEUS.resolve("rules/alerts.yml").toFile());
        Set<String> alerts = new TreeSet<>();
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String alert = rule.path("alert").asText();
                alerts.add(alert);
                JsonNode annotations = rule.path("annotations");
                for (String annotation : List.of("summary", "description", "runbook_url")) {
                    assertThat(annotations.path(annotation).asText()).as("%s %s", alert, annotation).isNotBlank();
                }
                assertThat(annotations.path("runbook_url").asText()).as(alert)
                        .isEqualTo("{{ $externalLabels.runbooks }}/" + alert + ".md");
                assertThat(rule.path("labels").path("severity").asText()).as(alert)
                        .isIn(alert.equals("Watchdog") ? List.of("none") : List.of("critical", "warning"));
                assertThat(rule.path("labels").path("team").asText()).as(alert).isIn("cx", "platform");
                Path runbook = OPS.resolve("runbooks").resolve(alert + ".md");
                assertThat(runbook).as(alert).exists();
                assertThat(Files.readString(runbook)).startsWith("# " + alert + "\n").contains("## What it means",
                        "## How to confirm", "## What to do");
            }
        }
        Set<String> tested = new TreeSet<>();
        for (Path file : testFiles()) {
            for (JsonNode test : YAML.readTree(file.toFile()).path("tests")) {
                test.path("alert_rule_test").forEach(check -> tested.add(check.path("alertname").asText()));
            }
        }
        assertThat(alerts).containsExactlyInAnyOrder("DetractorRateRising", "NpsDropped", "FirstResponseSlaBreached",
                "FrictionSpike", "IngestRejectingEvents", "IngestKafkaUnavailable", "IngestDown", "IngestErrors",
                "IngestLatency", "StreamsNotRunning", "StreamsLagGrowing", "StreamThreadsReplacing", "DataStale",
                "DeadLettersAppearing", "Watchdog");
        assertThat(tested).containsAll(alerts);
        // the one setting runbook_url comes from, in each Prometheus configuration
        for (String config : List.of("prometheus.yml", "prometheus-compose.yml")) {
            assertThat(YAML.readTree(PROMETHEUS.resolve(config).toFile()).path("global").path("external_labels")
                    .path("runbooks").asText()).as(config).isNotBlank();
        }
    }

    /** Every Alertmanager receiver posts to a service that docker-compose.yml runs. */
    @Test
    void shouldSendEveryNotificationToAComposeService() throws IOException {
        JsonNode compose = YAML.readTree(OPS.getParent().resolve("docker-compose.yml").toFile());
        JsonNode alertmanager = YAML.readTree(OPS.resolve("alertmanager/alertmanager.yml").toFile());
        List<String> hosts = new ArrayList<>();
        alertmanager.path("receivers").forEach(receiver -> receiver.path("webhook_configs").forEach(webhook ->
                hosts.add(URI.create(webhook.path("url").asText()).getHost())));
        assertThat(hosts).hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(host -> assertThat(compose.path("services").has(host)).as(host).isTrue());
    }

    /**
     * Every dashboard: unique panel ids, a grid position, the provisioned datasource, and exactly the template
     * variables its queries use.
     */
    @Test
    void shouldGiveEveryDashboardAValidStructure() throws IOException {
        JsonNode provisioned = YAML.readTree(OPS.resolve("grafana/provisioning/datasources/prometheus.yml").toFile());
        String uid = provisioned.path("datasources").get(0).path("uid").asText();
        assertThat(Dashboards.files()).hasSize(4);
        Set<String> uids = new TreeSet<>();
        for (Path file : Dashboards.files()) {
            JsonNode board = YAML.readTree(file.toFile());
            assertThat(uids.add(board.path("uid").asText())).as("unique uid of %s", file).isTrue();
            List<String> variables = new ArrayList<>();
            board.path("templating").path("list").forEach(variable -> {
                variables.add(variable.path("name").asText());
                assertThat(variable.path("datasource").path("uid").asText()).as(file + " variable").isEqualTo(uid);
            });
            Set<String> used = new TreeSet<>();
            Set<Integer> ids = new TreeSet<>();
            for (JsonNode panel : board.path("panels")) {
                String where = file.getFileName() + " / " + panel.path("title").asText();
                assertThat(ids.add(panel.path("id").asInt())).as("unique id: " + where).isTrue();
                for (String field : List.of("x", "y", "w", "h")) {
                    assertThat(panel.path("gridPos").path(field).isInt()).as(where + " gridPos." + field).isTrue();
                }
                assertThat(panel.path("gridPos").path("x").asInt() + panel.path("gridPos").path("w").asInt())
                        .as(where).isLessThanOrEqualTo(24);
                assertThat(panel.path("datasource").path("uid").asText()).as(where).isEqualTo(uid);
                assertThat(panel.path("targets")).as(where).isNotEmpty();
                panel.path("targets").forEach(target -> {
                    assertThat(target.path("datasource").path("uid").asText()).as(where).isEqualTo(uid);
                    assertThat(target.path("expr").asText()).as(where).isNotBlank();
                    Matcher variable = Pattern.compile("\\$([a-z]\\w*)").matcher(target.path("expr").asText());
                    while (variable.find()) {
                        used.add(variable.group(1));
                    }
                });
            }
            assertThat(variables).as("%s declares the variables its queries use, and no other", file)
                    .containsExactlyInAnyOrderElementsOf(used);
        }
    }

    /** Every recording rule has a promtool test that checks its value. */
    @Test
    void shouldTestEveryRecordingRule() throws IOException {
        Set<String> records = new TreeSet<>();
        for (JsonNode group : YAML.readTree(PROMETHEUS.resolve("rules/recording.yml").toFile()).path("groups")) {
            group.path("rules").forEach(rule -> records.add(rule.path("record").asText()));
        }
        Set<String> tested = new TreeSet<>();
        for (Path file : testFiles()) {
            for (JsonNode test : YAML.readTree(file.toFile()).path("tests")) {
                test.path("promql_expr_test").forEach(check -> check.path("exp_samples").forEach(sample ->
                        tested.add(sample.path("labels").asText().split("\\{")[0])));
            }
        }
        assertThat(records).hasSizeGreaterThan(30);
        assertThat(tested).containsAll(records);
    }

    private static List<Path> testFiles() throws IOException {
        try (Stream<Path> files = Files.list(PROMETHEUS.resolve("tests"))) {
            return files.filter(file -> file.toString().endsWith(".test.yml")).sorted().toList();
        }
    }

    static void requireTool(String tool) throws Exception {
        boolean present = new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
        if (!present && System.getenv("CXPULSE_REQUIRE_OPS_TOOLS") == null) {
            Assumptions.abort(tool + " is not installed (Debian: apt-get install prometheus prometheus-alertmanager)");
        }
        assertThat(present).as(tool + " must be installed: CXPULSE_REQUIRE_OPS_TOOLS is set").isTrue();
    }

    /** Runs {@code command} in {@code dir}; it must exit 0 within 5 minutes. Returns its output. */
    static String run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + text).isZero();
        return text;
    }
}
