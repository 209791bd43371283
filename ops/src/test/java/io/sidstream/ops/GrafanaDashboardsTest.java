package io.sidstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboards in ops/grafana are well-formed Grafana dashboards whose queries are valid PromQL (checked by
 * promtool, through a generated rule file) over metrics ops/METRICS.md documents, read through the dashboard's
 * datasource variable and narrowed by its namespace and instance variables.
 */
class GrafanaDashboardsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATASOURCE = "${datasource}";
    private static final String NAMESPACE = "namespace=~\"$namespace\"";
    private static final String INSTANCE = "instance=~\"$instance\"";
    /** A selector of a metric with a known prefix, and its label matchers if it has any. */
    private static final Pattern SELECTOR =
            Pattern.compile("\\b((?:sidstream|flink|kafka)_[A-Za-z0-9_]+)\\s*(\\{[^}]*\\})?");

    private static final Pattern STRING_LITERAL = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern STAGES = Pattern.compile("stages: ((?:`[a-z_]+`(?:, )?)+)");

    @Test
    void dashboardsAreWellFormedAndQueryOnlyDocumentedMetrics(@TempDir Path tmp) throws Exception {
        List<Path> files = dashboards();
        assertThat(files)
                .extracting(p -> p.getFileName().toString())
                .contains(
                        "sidstream-freshness.json",
                        "sidstream-pipeline.json",
                        "sidstream-serving.json",
                        "sidstream-training.json",
                        "sidstream-flink.json");
        Set<String> documented = MetricsCatalogTest.queryable();
        Set<String> uids = new HashSet<>();
        List<String> expressions = new ArrayList<>();
        for (Path file : files) {
            JsonNode dashboard = JSON.readTree(file.toFile());
            assertThat(uids.add(dashboard.get("uid").asText()))
                    .as("unique uid in %s", file)
                    .isTrue();
            assertThat(dashboard.get("title").asText()).startsWith("sidstream: ");
            assertThat(dashboard.get("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
            assertThat(dashboard.get("panels")).as("panels of %s", file).isNotEmpty();
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : dashboard.get("panels")) {
                String where = file.getFileName() + " / " + panel.get("title").asText();
                assertThat(ids.add(panel.get("id").asInt()))
                        .as("unique panel id: %s", where)
                        .isTrue();
                assertThat(panel.get("gridPos").get("w").asInt()).as(where).isBetween(1, 24);
                assertThat(panel.at("/datasource/uid").asText())
                        .as("datasource of %s", where)
                        .isEqualTo(DATASOURCE);
                assertThat(panel.get("targets")).as("queries of %s", where).isNotEmpty();
                for (JsonNode target : panel.get("targets")) {
                    assertThat(target.at("/datasource/uid").asText())
                            .as("datasource of a query of %s", where)
                            .isEqualTo(DATASOURCE);
                    String expr = target.get("expr").asText();
                    expressions.add(expr);
                    assertQueriesDocumentedMetrics(where, expr, documented);
                    assertScopedByTheVariables(where, expr);
                }
            }
        }
        assertPromQl(expressions, tmp);
    }

    /** The datasource variable, and the namespace and instance variables next to it, on every dashboard. */
    @Test
    void everyDashboardHasTheDatasourceNamespaceAndInstanceVariables() throws IOException {
        Set<String> documented = MetricsCatalogTest.queryable();
        for (Path file : dashboards()) {
            Map<String, JsonNode> variables = new HashMap<>();
            JSON.readTree(file.toFile())
                    .at("/templating/list")
                    .forEach(v -> variables.put(v.get("name").asText(), v));
            assertThat(variables).as("variables of %s", file).containsKeys("datasource", "namespace", "instance");
            assertThat(variables.get("datasource").get("type").asText()).isEqualTo("datasource");
            assertThat(variables.get("datasource").get("query").asText()).isEqualTo("prometheus");
            for (String name : List.of("namespace", "instance")) {
                JsonNode variable = variables.get(name);
                String where = file.getFileName() + " / $" + name;
                assertThat(variable.get("type").asText()).as(where).isEqualTo("query");
                assertThat(variable.at("/datasource/uid").asText()).as(where).isEqualTo(DATASOURCE);
                // "All" must match series without the label too (outside Kubernetes there is no namespace)
                assertThat(variable.get("includeAll").asBoolean()).as(where).isTrue();
                assertThat(variable.get("allValue").asText()).as(where).isEqualTo(".*");
                String query = variable.at("/query/query").asText();
                assertThat(query).as(where).startsWith("label_values(").endsWith(", " + name + ")");
                assertQueriesDocumentedMetrics(where, query, documented);
            }
            assertThat(variables.get("instance").at("/query/query").asText()).contains(NAMESPACE);
        }
    }

    /** Model releases are marked on every dashboard, from documented metrics, through the datasource variable. */
    @Test
    void everyDashboardAnnotatesModelReleases(@TempDir Path tmp) throws Exception {
        Set<String> documented = MetricsCatalogTest.queryable();
        List<String> expressions = new ArrayList<>();
        for (Path file : dashboards()) {
            Set<String> metrics = new TreeSet<>();
            for (JsonNode annotation : JSON.readTree(file.toFile()).at("/annotations/list")) {
                String where = file.getFileName() + " / annotation "
                        + annotation.get("name").asText();
                assertThat(annotation.at("/datasource/uid").asText()).as(where).isEqualTo(DATASOURCE);
                String expr = annotation.get("expr").asText();
                expressions.add(expr);
                assertQueriesDocumentedMetrics(where, expr, documented);
                metrics.addAll(MetricsCatalogTest.queriedMetrics(expr, documented));
            }
            assertThat(metrics)
                    .as("model release annotations of %s", file)
                    .contains("sidstream_trainer_cycles_total", "sidstream_serving_model_info");
        }
        assertPromQl(expressions, tmp);
    }

    /** The freshness dashboard has a panel for every stage METRICS.md names; the Flink one shows the jobs' health. */
    @Test
    void freshnessAndFlinkDashboardsCoverWhatTheyAreFor() throws IOException {
        Matcher stages = STAGES.matcher(Files.readString(Path.of("METRICS.md")));
        assertThat(stages.find()).isTrue();
        String freshness = queries(Path.of("grafana/sidstream-freshness.json"));
        assertThat(Arrays.stream(stages.group(1).split(", ")).map(s -> s.replace("`", "")))
                .hasSizeGreaterThanOrEqualTo(6)
                .allSatisfy(stage -> assertThat(freshness)
                        .as("a freshness panel for %s", stage)
                        .contains("stage=\"" + stage + "\""));
        Set<String> flink = MetricsCatalogTest.queriedMetrics(
                queries(Path.of("grafana/sidstream-flink.json")), MetricsCatalogTest.queryable());
        assertThat(flink)
                .contains(
                        "flink_jobmanager_job_lastCheckpointDuration",
                        "flink_jobmanager_job_numberOfFailedCheckpoints",
                        "flink_jobmanager_job_numRestarts",
                        "flink_taskmanager_job_task_backPressuredTimeMsPerSecond",
                        "flink_taskmanager_job_task_operator_pendingRecords");
    }

    private static String queries(Path file) throws IOException {
        StringBuilder all = new StringBuilder();
        JSON.readTree(file.toFile())
                .get("panels")
                .forEach(panel -> panel.get("targets")
                        .forEach(t -> all.append(t.get("expr").asText()).append('\n')));
        return all.toString();
    }

    private static void assertQueriesDocumentedMetrics(String where, String expr, Set<String> documented) {
        for (String metric : MetricsCatalogTest.queriedMetrics(expr, documented)) {
            assertThat(documented)
                    .as("%s queries %s, which ops/METRICS.md does not document", where, metric)
                    .contains(metric);
        }
    }

    /**
     * Every selector carries the namespace variable's matcher, and the instance variable's unless it reads the Kafka
     * exporter (whose instance is the exporter, not a sidstream process).
     */
    private static void assertScopedByTheVariables(String where, String expr) {
        // blank string literals out (same length) so that a label value is never taken for a metric
        StringBuilder blanked = new StringBuilder(expr);
        Matcher literal = STRING_LITERAL.matcher(expr);
        while (literal.find()) {
            for (int i = literal.start() + 1; i < literal.end() - 1; i++) {
                blanked.setCharAt(i, 'x');
            }
        }
        Matcher m = SELECTOR.matcher(blanked);
        while (m.find()) {
            String metric = m.group(1);
            String matchers = m.group(2) == null ? "" : expr.substring(m.start(2), m.end(2));
            assertThat(matchers)
                    .as("%s: the selector of %s in %s", where, metric, expr)
                    .contains(NAMESPACE);
            if (!metric.startsWith("kafka_")) {
                assertThat(matchers)
                        .as("%s: the selector of %s in %s", where, metric, expr)
                        .contains(INSTANCE);
            }
        }
    }

    /** promtool has no "check this expression"; a recording rule per query gets the same parser. */
    private static void assertPromQl(List<String> expressions, Path tmp) throws Exception {
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard-queries\n    rules:\n");
        for (int i = 0; i < expressions.size(); i++) {
            rules.append("      - record: dashboard:query")
                    .append(i)
                    .append('\n')
                    .append("        expr: ")
                    .append(JSON.writeValueAsString(expressions.get(i)))
                    .append('\n');
        }
        Path file = tmp.resolve("dashboard-queries.yml");
        Files.writeString(file, rules.toString());
        PrometheusRulesTest.Result result = PrometheusRulesTest.promtool("check", "rules", file.toString());
        assertThat(result.exitCode())
                .as("promtool on the dashboards' queries:%n%s", result.output())
                .isZero();
    }

    private static List<Path> dashboards() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("grafana"))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }
}
