package io.sidstream.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sidstream.core.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogFormatTest {

    @AfterEach
    void backToText() {
        LogFormat.apply(ConfigLoader.withOverrides(Map.of("logging.format", "text")));
    }

    @Test
    void jsonWritesOneObjectPerEventWithLevelThreadLoggerAndMessage() throws Exception {
        LogFormat.apply(ConfigLoader.withOverrides(Map.of("logging.format", "json")));

        String out = logged("a json event");

        JsonNode event = new ObjectMapper()
                .readTree(out.lines()
                        .filter(l -> l.contains("a json event"))
                        .findFirst()
                        .orElseThrow());
        assertThat(event.path("level").asText()).isEqualTo("INFO");
        assertThat(event.path("threadName").asText())
                .isEqualTo(Thread.currentThread().getName());
        assertThat(event.path("loggerName").asText()).isEqualTo("io.sidstream.platform.logging.LogFormatTest");
        assertThat(event.path("message").asText()).isEqualTo("a json event");
        assertThat(event.path("timestamp").asLong()).isPositive();
    }

    @Test
    void textLinesCarryDateLevelThreadAndLogger() {
        LogFormat.apply(ConfigLoader.withOverrides(Map.of("logging.format", "text")));

        String out = logged("a text event");

        assertThat(out)
                .containsPattern("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} INFO  \\["
                        + Thread.currentThread().getName() + "\\] i\\.s\\.p\\.logging\\.LogFormatTest - a text event");
    }

    @Test
    void anUnknownFormatIsRefusedWithItsKey() {
        assertThatThrownBy(() -> ConfigLoader.withOverrides(Map.of("logging.format", "xml")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("logging.format");
    }

    /** What one INFO event writes to standard error (where the console appender writes). */
    private static String logged(String message) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LoggerFactory.getLogger(LogFormatTest.class).info(message);
        } finally {
            System.setErr(err);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
