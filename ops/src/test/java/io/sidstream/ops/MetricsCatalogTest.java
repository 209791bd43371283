package io.sidstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

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
 * ops/METRICS.md lists exactly the metrics the code registers, and the alert rules use only metrics that exist
 * (sidstream's own, or the Kafka exporter's consumer lag).
 */
class MetricsCatalogTest {

    private static final Pattern REGISTERED = Pattern.compile("\\.name\\(\"(sidstream_[a-z0-9_]+)\"\\)");
    private static final Pattern DOCUMENTED = Pattern.compile("^\\| `(sidstream_[a-z0-9_]+)` \\|", Pattern.MULTILINE);
    private static final Pattern USED = Pattern.compile("\\b(sidstream_[a-z0-9_]+?)(_bucket|_sum|_count)?\\b");

    @Test
    void metricsMdListsExactlyTheMetricsTheCodeRegisters() throws IOException {
        assertThat(documented()).isEqualTo(registeredInCode());
    }

    @Test
    void alertRulesUseOnlyDocumentedMetrics() throws IOException {
        Set<String> documented = documented();
        String rules = Files.readString(Path.of("prometheus/rules/sidstream-alerts.yml"));
        Set<String> used = new TreeSet<>();
        Matcher m = USED.matcher(rules.replaceAll("(?m)^\\s*(runbook_url|summary):.*$", ""));
        while (m.find()) {
            used.add(m.group(1));
        }
        assertThat(used).isNotEmpty();
        assertThat(documented).containsAll(used);
    }

    static Set<String> documented() throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher m = DOCUMENTED.matcher(Files.readString(Path.of("METRICS.md")));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
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
