package io.runledger.server.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.runledger.server.testing.MetricsText;
import io.runledger.server.testing.Promtool;
import io.runledger.server.testing.ServerTestBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring files in docs/monitoring: the alert rules pass promtool's check and their
 * unit tests, every alert has a case that fires and one that does not, the dashboard imports
 * with its data source as a variable and its queries parse, and every metric the rules and
 * the dashboard read is on a live server's {@code /metrics} (so the docs cannot drift).
 */
class MonitoringDocsTest extends ServerTestBase {
    private static final Path DIR = Path.of("..", "docs", "monitoring");
    private static final Path RULES = DIR.resolve("runledger-alerts.yml");
    private static final Path RULE_TESTS = DIR.resolve("runledger-alerts.test.yml");
    private static final Path DASHBOARD = DIR.resolve("runledger-dashboard.json");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Series Prometheus makes itself for every target, not on /metrics. */
    private static final Set<String> SCRAPE_SERIES = Set.of("up");

    @Test
    void theAlertRulesPassPromtoolAndTheirUnitTests() {
        Promtool.Result check = Promtool.run(null, "check", "rules", RULES.toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS");
        Promtool.Result tests = Promtool.run(null, "test", "rules", RULE_TESTS.toString());
        assertThat(tests.exitCode()).as(tests.output()).isZero();
        assertThat(tests.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertHasACaseThatFiresAndOneThatDoesNot() throws IOException {
        List<String> alerts = new ArrayList<>();
        for (JsonNode rule : rules()) {
            alerts.add(rule.get("alert").asText());
        }
        assertThat(alerts).contains("RunLedgerQueueStalled", "RunLedgerRunFailureRateHigh",
                "RunLedgerLeasesExpiring", "RunLedgerWebhookDeadLetters", "RunLedgerInstanceDown");
        Set<String> fires = new HashSet<>();
        Set<String> quiet = new HashSet<>();
        for (JsonNode test : YAML.readTree(RULE_TESTS.toFile()).get("tests")) {
            for (JsonNode c : test.path("alert_rule_test")) {
                (c.path("exp_alerts").isEmpty() ? quiet : fires).add(c.get("alertname").asText());
            }
        }
        assertThat(fires).as("alerts with a case that fires").containsAll(alerts);
        assertThat(quiet).as("alerts with a case that stays quiet").containsAll(alerts);
        assertThat(alerts).as("cases for alerts that do not exist").containsAll(fires).containsAll(quiet);
    }

    @Test
    void theDashboardTakesItsDataSourceAsAVariableAndItsQueriesParse(@TempDir Path dir) throws IOException {
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        assertThat(dashboard.get("id").isNull()).as("no id: an import makes a new dashboard").isTrue();
        assertThat(dashboard.get("uid").asText()).isNotBlank();
        assertThat(dashboard.has("__inputs")).as("no import-time inputs: the data source is a variable")
                .isFalse();
        JsonNode datasource = null;
        for (JsonNode v : dashboard.get("templating").get("list")) {
            if (v.get("type").asText().equals("datasource")) {
                datasource = v;
            }
        }
        assertThat(datasource).as("a data source variable").isNotNull();
        assertThat(datasource.get("query").asText()).isEqualTo("prometheus");
        String uid = "${" + datasource.get("name").asText() + "}";

        Map<String, String> queries = queries(dashboard);
        assertThat(queries).hasSizeGreaterThan(20);
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(ids.add(panel.get("id").asInt())).as("panel ids are unique").isTrue();
            JsonNode grid = panel.get("gridPos");
            assertThat(grid.get("x").asInt() + grid.get("w").asInt()).as(panel.get("title").asText())
                    .isLessThanOrEqualTo(24);
            if (panel.get("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.at("/datasource/uid").asText()).as(panel.get("title").asText()).isEqualTo(uid);
            assertThat(panel.get("targets")).as(panel.get("title").asText()).isNotEmpty();
            for (JsonNode target : panel.get("targets")) {
                assertThat(target.at("/datasource/uid").asText()).isEqualTo(uid);
            }
        }
        for (JsonNode v : dashboard.get("templating").get("list")) {
            if (v.has("datasource")) {
                assertThat(v.at("/datasource/uid").asText()).isEqualTo(uid);
            }
        }

        // promtool parses each panel query as the expression of a recording rule.
        ArrayNode records = YAML.createArrayNode();
        queries.forEach((name, expr) -> {
            if (!expr.startsWith("label_values(")) {
                records.addObject().put("record", name).put("expr", expr
                        .replace("$__rate_interval", "5m").replace("$job", ".*").replace("$instance", ".*"));
            }
        });
        ObjectNode file = YAML.createObjectNode();
        file.putArray("groups").addObject().put("name", "dashboard").set("rules", records);
        Path rules = dir.resolve("dashboard-queries.yml");
        YAML.writeValue(rules.toFile(), file);
        Promtool.Result check = Promtool.run(null, "check", "rules", rules.toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
    }

    @Test
    void everyMetricTheRulesAndTheDashboardReadIsOnALiveServer() throws IOException {
        triggerRun(); // some traffic: the per-status answer counters exist once answered
        Set<String> live = MetricsText.parse(api.get("/metrics").response().body()).names();

        Set<String> ruleNames = new TreeSet<>();
        for (JsonNode rule : rules()) {
            ruleNames.addAll(metricNames(rule.get("expr").asText()));
        }
        Set<String> dashboardNames = new TreeSet<>();
        queries(JSON.readTree(DASHBOARD.toFile())).values().forEach(q -> dashboardNames.addAll(metricNames(q)));

        assertThat(ruleNames).contains("runledger_queue_oldest_age_seconds", "runledger_runs_settled_total",
                "runledger_leases_expired_total", "runledger_webhook_deliveries_total", "up");
        assertThat(dashboardNames).contains("runledger_queue_depth",
                "runledger_http_server_requests_seconds_bucket", "jvm_memory_used_bytes");
        for (Set<String> used : List.of(ruleNames, dashboardNames)) {
            Set<String> missing = new TreeSet<>(used);
            missing.removeAll(live);
            missing.removeAll(SCRAPE_SERIES);
            assertThat(missing).as("metrics read by the docs but not on /metrics").isEmpty();
        }
    }

    @Test
    void monitoringMdListsEveryRunLedgerSeriesAndTheDocsNameNoOtherOnes() throws IOException {
        triggerRun();
        String text = api.get("/metrics").response().body();
        Set<String> families = new TreeSet<>();
        Matcher type = Pattern.compile("(?m)^# TYPE (runledger_\\w+) ").matcher(text);
        while (type.find()) {
            if (!type.group(1).endsWith("_max")) { // a timer's maximum, documented with the timer
                families.add(type.group(1));
            }
        }
        assertThat(families).contains("runledger_runs_triggered_total", "runledger_http_server_requests_seconds");
        assertThat(mentioned(Path.of("..", "docs", "monitoring.md"))).as("docs/monitoring.md lists every family")
                .containsAll(families);
        Set<String> live = new TreeSet<>(families);
        live.addAll(MetricsText.parse(text).names());
        for (Path doc : List.of(Path.of("..", "docs", "monitoring.md"), Path.of("..", "docs", "operations.md"),
                Path.of("..", "README.md"))) {
            Set<String> unknown = mentioned(doc);
            unknown.removeAll(live);
            assertThat(unknown).as("series %s names that /metrics does not have", doc).isEmpty();
        }
    }

    private static Set<String> mentioned(Path doc) throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\brunledger_[a-z0-9_]*[a-z0-9]").matcher(Files.readString(doc));
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    @Test
    void theNameExtractionFindsMetricsAndNothingElse() {
        assertThat(metricNames("histogram_quantile(0.95, sum by (le, route) (rate(a_bucket{job=~\"$job\","
                + " le!=\"x{y}\"}[$__rate_interval]))) > 1 and on(instance) b_total offset 5m unless c"))
                .containsExactlyInAnyOrder("a_bucket", "b_total", "c");
        assertThat(metricNames("label_values(runledger_sweeps_total{job=~\"$job\"}, instance)"))
                .containsExactly("runledger_sweeps_total");
        assertThat(metricNames("sum without (status) (increase(x[1h])) / 1e3 >= bool 2"))
                .containsExactly("x");
    }

    private static JsonNode rules() throws IOException {
        ArrayNode all = YAML.createArrayNode();
        for (JsonNode group : YAML.readTree(RULES.toFile()).get("groups")) {
            group.get("rules").forEach(all::add);
        }
        return all;
    }

    /** Every query of the dashboard by a name of its own: panel targets and variable queries. */
    private static Map<String, String> queries(JsonNode dashboard) {
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.put("dashboard:panel_" + panel.get("id").asInt() + "_" + target.get("refId").asText(),
                        target.get("expr").asText());
            }
        }
        for (JsonNode v : dashboard.get("templating").get("list")) {
            if (v.get("type").asText().equals("query")) {
                queries.put("dashboard:variable_" + v.get("name").asText(), v.at("/query/query").asText());
            }
        }
        return queries;
    }

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "inf", "nan");

    /**
     * The metric names a PromQL expression (or a Grafana {@code label_values} query) reads:
     * identifiers outside strings, label matchers, ranges and grouping labels that are not
     * functions, keywords, numbers or durations.
     */
    static Set<String> metricNames(String expr) {
        String s = STRING.matcher(expr).replaceAll("\"\"");
        s = s.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
        s = s.replaceAll("\\boffset\\s+\\w+", " ");
        s = GROUPING.matcher(s).replaceAll(" ");
        if (s.startsWith("label_values(")) {
            s = s.substring("label_values(".length(), s.indexOf(','));
        }
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String name = m.group(1);
            if (!KEYWORDS.contains(name.toLowerCase(Locale.ROOT)) && !name.matches("\\d.*")) {
                names.add(name);
            }
        }
        return names;
    }
}
