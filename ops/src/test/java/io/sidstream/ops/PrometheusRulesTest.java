package io.sidstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The alert rules and the scrape configuration as Prometheus itself reads them: Debian's {@code promtool}
 * (installed by {@code ops/install-tools.sh}, which CI runs first).
 */
class PrometheusRulesTest {

    static final Path PROMETHEUS = Path.of("prometheus");

    @Test
    void rulesAreValid() throws Exception {
        assertSucceeds(promtool("check", "rules", "rules/sidstream-alerts.yml"));
    }

    @Test
    void scrapeConfigurationIsValid() throws Exception {
        assertSucceeds(promtool("check", "config", "prometheus.yml"));
    }

    @Test
    void rulesPassTheirUnitTests() throws Exception {
        Result result = promtool("test", "rules", "tests/sidstream-alerts-test.yml");
        assertSucceeds(result);
        assertThat(result.output).contains("SUCCESS");
    }

    private static void assertSucceeds(Result result) {
        assertThat(result.exitCode).as("promtool said:%n%s", result.output).isZero();
    }

    static Result promtool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .directory(PROMETHEUS.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "promtool is not installed: run ops/install-tools.sh "
                            + "(Debian's prometheus package), as .ci/run does",
                    e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    record Result(int exitCode, String output) {}
}
