package io.sidstream.core.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class BenchReportTest {

    @Test
    void lastLineIsOneJsonObjectOfTheFiguresInOrder() {
        Histogram micros = new Histogram(3);
        for (int i = 1; i <= 100; i++) {
            micros.recordValue(i * 1000L);
        }
        BenchReport report = new BenchReport("gateway")
                .setting("seconds", 5)
                .figure("events_per_s", 12345.6789)
                .latencyMillis("accept", micros)
                .figure("device", "cpu");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        report.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");

        assertThat(lines[0]).isEqualTo("benchmark gateway");
        assertThat(lines).anyMatch(line -> line.contains("seconds") && line.endsWith("5"));
        // HdrHistogram keeps 3 significant digits: 50 ms reads back as 50.015
        assertThat(lines[lines.length - 1])
                .isEqualTo(
                        "{\"benchmark\":\"gateway\",\"events_per_s\":12345.679,\"accept_p50_ms\":50.015,\"accept_p99_ms\":99.007,\"device\":\"cpu\"}");
    }

    @Test
    void refusesANumberThatIsNotFinite() {
        assertThatThrownBy(() -> new BenchReport("x").figure("rate", Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate");
    }
}
