package io.sidstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboards in ops/grafana are well-formed Grafana dashboards whose queries are valid PromQL (checked by
 * promtool, through a generated rule file) over metrics that exist.
 */
class GrafanaDashboardsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern METRIC = Pattern.compile("\\b((?:sidstream|kafka)_[a-z0-9_]+?)(_bucket|_sum|_count)?\\b");
    private static final Set<String> KAFKA_EXPORTER = Set.of("kafka_topic_partition_current_offset", "kafka_consumergroup_lag");

    @Test
    void dashboardsAreWellFormedAndQueryOnlyExistingMetrics(@TempDir Path tmp) throws Exception {
        List<Path> files = dashboards();
        assertThat(files).extracting(p -> p.getFileName().toString())
                .contains("sidstream-freshness.json", "sidstream-pipeline.json", "sidstream-serving.json");
        Set<String> documented = MetricsCatalogTest.documented();
        Set<String> uids = new HashSet<>();
        List<String> expressions = new ArrayList<>();
        for (Path file : files) {
            JsonNode dashboard = JSON.readTree(file.toFile());
            assertThat(uids.add(dashboard.get("uid").asText())).as("unique uid in %s", file).isTrue();
            assertThat(dashboard.get("title").asText()).startsWith("sidstream: ");
            assertThat(dashboard.get("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
            assertThat(dashboard.get("panels")).as("panels of %s", file).isNotEmpty();
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : dashboard.get("panels")) {
                String where = file.getFileName() + " / " + panel.get("title").asText();
                assertThat(ids.add(panel.get("id").asInt())).as("unique panel id: %s", where).isTrue();
                assertThat(panel.get("gridPos").get("w").asInt()).as(where).isBetween(1, 24);
                assertThat(panel.get("targets")).as("queries of %s", where).isNotEmpty();
                for (JsonNode target : panel.get("targets")) {
                    String expr = target.get("expr").asText();
                    expressions.add(expr);
                    Matcher m = METRIC.matcher(expr);
                    while (m.find()) {
                        String metric = m.group(1);
                        assertThat(documented.contains(metric) || KAFKA_EXPORTER.contains(metric))
                                .as("%s queries %s, which nothing exports (see ops/METRICS.md)", where, metric).isTrue();
                    }
                }
            }
        }
        assertPromQl(expressions, tmp);
    }

    /** promtool has no "check this expression"; a recording rule per query gets the same parser. */
    private static void assertPromQl(List<String> expressions, Path tmp) throws Exception {
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard-queries\n    rules:\n");
        for (int i = 0; i < expressions.size(); i++) {
            rules.append("      - record: dashboard:query").append(i).append('\n')
                    .append("        expr: ").append(JSON.writeValueAsString(expressions.get(i))).append('\n');
        }
        Path file = tmp.resolve("dashboard-queries.yml");
        Files.writeString(file, rules.toString());
        PrometheusRulesTest.Result result = PrometheusRulesTest.promtool("check", "rules", file.toString());
        assertThat(result.exitCode()).as("promtool on the dashboards' queries:%n%s", result.output()).isZero();
    }

    private static List<Path> dashboards() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("grafana"))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

}
