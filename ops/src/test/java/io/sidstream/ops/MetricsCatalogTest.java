package io.sidstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * ops/METRICS.md lists exactly the metrics the code registers, and the alert rules use only metrics it documents
 * (sidstream's own, Flink's own, or those of the Kafka exporter and Prometheus).
 */
class MetricsCatalogTest {

    private static final Pattern REGISTERED = Pattern.compile("\\.name\\(\"(sidstream_[a-z0-9_]+)\"\\)");
    /** A Flink metric group's registration: any name, so that a camelCase one fails the conventions check. */
    private static final Pattern FLINK_REGISTERED =
            Pattern.compile("\\.(?:counter|gauge|histogram|meter)\\(\\s*\"([^\"]+)\"");
    /** A histogram built from Flink counters (BucketedHistogram / FlinkFreshnessLag): the family's name. */
    private static final Pattern FLINK_BUCKETED = Pattern.compile(
            "BucketedHistogram\\.register\\([^,]+,\\s*\"([^\"]+)\"|static final String NAME = \"(sidstream_[a-z0-9_]+)\"");

    private static final Pattern FLINK_DOCUMENTED = Pattern.compile(
            "^\\| `flink_taskmanager_job_task_operator_(?:stage_|model_)?(?:le_)?(sidstream_[a-z0-9_]+)` \\|",
            Pattern.MULTILINE);
    private static final Pattern CONVENTIONS = Pattern.compile("sidstream_[a-z0-9_]+");
    private static final Pattern DOCUMENTED = Pattern.compile("^\\| `(sidstream_[a-z0-9_]+)` \\|", Pattern.MULTILINE);
    /** A row of the tables of Flink's own metrics and of the metrics from outside sidstream. */
    private static final Pattern OTHER_DOCUMENTED =
            Pattern.compile("^\\| `((?:flink|kafka)_[A-Za-z0-9_]+|up)` \\|", Pattern.MULTILINE);
    /** A metric name in a PromQL expression (with its string literals blanked out). */
    private static final Pattern QUERIED =
            Pattern.compile("\\b((?:sidstream|flink|kafka|jvm|process)_[A-Za-z0-9_]+|up)\\b");

    private static final Pattern STRING_LITERAL = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");

    @Test
    void metricsMdListsExactlyTheMetricsTheCodeRegisters() throws IOException {
        assertThat(documented()).isEqualTo(registeredInCode());
    }

    /**
     * The Flink jobs' own metrics (registered in Flink metric groups, exported by Flink's Prometheus reporter) follow
     * the same conventions and are listed, under the names the reporter gives them, in METRICS.md's Flink section.
     */
    @Test
    void metricsMdListsExactlyTheFlinkJobsMetrics() throws IOException {
        Set<String> registered = registeredInFlinkJobs();
        assertThat(registered)
                .isNotEmpty()
                .allSatisfy(name -> assertThat(CONVENTIONS.matcher(name).matches())
                        .as("%s: snake_case, sidstream_ prefix", name)
                        .isTrue());
        Set<String> documented = new TreeSet<>();
        Matcher m = FLINK_DOCUMENTED.matcher(Files.readString(Path.of("METRICS.md")));
        while (m.find()) {
            documented.add(m.group(1).replaceAll("_(bucket|count|sum)$", ""));
        }
        assertThat(documented).isEqualTo(registered);
    }

    @Test
    void alertRulesUseOnlyDocumentedMetrics() throws IOException {
        Set<String> queryable = queryable();
        Set<String> used = new TreeSet<>();
        for (JsonNode alert : AlertRunbookTest.alerts()) {
            used.addAll(queriedMetrics(alert.get("expr").asText(), queryable));
        }
        assertThat(used).isNotEmpty();
        assertThat(queryable).containsAll(used);
    }

    /**
     * Every name a query may use, as Prometheus stores it: the components' metrics, the Flink jobs' metrics under the
     * names the scrape configurations give them ({@code sidstream_*}), and the tables of Flink's own metrics and of
     * the metrics from outside sidstream.
     */
    static Set<String> queryable() throws IOException {
        String catalog = Files.readString(Path.of("METRICS.md"));
        Set<String> names = new TreeSet<>(documented());
        Matcher flink = FLINK_DOCUMENTED.matcher(catalog);
        while (flink.find()) {
            names.add(flink.group(1).replaceAll("_(bucket|count|sum)$", ""));
        }
        Matcher other = OTHER_DOCUMENTED.matcher(catalog);
        while (other.find()) {
            names.add(other.group(1));
        }
        return names;
    }

    /**
     * The metric names a PromQL expression queries (those with a known prefix, and {@code up}); a histogram's or a
     * summary's {@code _bucket}, {@code _sum} and {@code _count} series count as their family's name when that is
     * known.
     */
    static Set<String> queriedMetrics(String promql, Set<String> known) {
        Set<String> names = new TreeSet<>();
        Matcher m = QUERIED.matcher(STRING_LITERAL.matcher(promql).replaceAll("\"\""));
        while (m.find()) {
            String name = m.group(1);
            String family = name.replaceAll("_(bucket|count|sum)$", "");
            names.add(!known.contains(name) && known.contains(family) ? family : name);
        }
        return names;
    }

    static Set<String> documented() throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher m = DOCUMENTED.matcher(Files.readString(Path.of("METRICS.md")));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Metric names the Flink jobs register in their metric groups (bucketed histograms by their family name). */
    static Set<String> registeredInFlinkJobs() throws IOException {
        Set<String> names = new TreeSet<>();
        for (Path p : mainSources()) {
            String source = Files.readString(p);
            if (!source.contains("import org.apache.flink.metrics.")
                    && !source.contains("import io.sidstream.flink.metrics.")) {
                continue;
            }
            Matcher m = FLINK_REGISTERED.matcher(source);
            while (m.find()) {
                names.add(m.group(1));
            }
            Matcher b = FLINK_BUCKETED.matcher(source);
            while (b.find()) {
                names.add(b.group(1) != null ? b.group(1) : b.group(2));
            }
        }
        return names;
    }

    private static java.util.List<Path> mainSources() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of(".."))) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/main/java/"))
                    .filter(p -> !p.toString().contains("/target/"))
                    .toList();
        }
    }

    /** Every metric name registered in the main sources of every module (the project root is ops/..). */
    static Set<String> registeredInCode() throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of(".."))) {
            files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/main/java/"))
                    .filter(p -> !p.toString().contains("/target/"))
                    .forEach(p -> {
                        try {
                            Matcher m = REGISTERED.matcher(Files.readString(p));
                            while (m.find()) {
                                names.add(m.group(1));
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        }
        return names;
    }
}
