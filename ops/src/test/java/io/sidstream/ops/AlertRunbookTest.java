package io.sidstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every alert says what it is about and links to a runbook entry that exists. */
class AlertRunbookTest {

    static List<JsonNode> alerts() throws IOException {
        JsonNode rules = new ObjectMapper(new YAMLFactory())
                .readTree(Path.of("prometheus/rules/sidstream-alerts.yml").toFile());
        List<JsonNode> alerts = new ArrayList<>();
        rules.get("groups")
                .forEach(group -> group.get("rules").forEach(rule -> {
                    if (rule.has("alert")) {
                        alerts.add(rule);
                    }
                }));
        return alerts;
    }

    @Test
    void everyAlertLinksToItsOwnRunbookEntry() throws IOException {
        Set<String> anchors = Files.readAllLines(Path.of("RUNBOOK.md")).stream()
                .filter(line -> line.startsWith("## "))
                .map(line -> line.substring(3).trim().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());

        List<JsonNode> alerts = alerts();
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(10);
        assertThat(alerts).allSatisfy(alert -> {
            String name = alert.get("alert").asText();
            JsonNode annotations = alert.get("annotations");
            assertThat(annotations.get("summary").asText())
                    .as("summary of %s", name)
                    .isNotBlank();
            assertThat(alert.at("/labels/severity").asText())
                    .as("severity of %s", name)
                    .isIn("page", "ticket");
            String url = annotations.get("runbook_url").asText();
            assertThat(url).as("runbook of %s", name).endsWith("ops/RUNBOOK.md#" + name.toLowerCase(Locale.ROOT));
            assertThat(anchors).as("RUNBOOK.md has a section for %s", name).contains(name.toLowerCase(Locale.ROOT));
        });
    }
}
