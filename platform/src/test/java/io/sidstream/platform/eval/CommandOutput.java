package io.sidstream.platform.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;

/** Runs an evaluation command in this JVM and reads what it printed: its table and its JSON lines. */
final class CommandOutput {

    private CommandOutput() {}

    /** Runs {@code command} with {@code args}, which must succeed; returns its standard output (also echoed). */
    static String run(Object command, String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            assertThat(new CommandLine(command).execute(args)).isZero();
        } finally {
            System.setOut(original);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        original.println(out);
        return out;
    }

    /** The last JSON line of {@code out}: the benchmark contract's figures. */
    static JsonNode lastJsonLine(String out) {
        List<String> lines = out.lines().filter(l -> l.startsWith("{")).toList();
        assertThat(lines).isNotEmpty();
        return json(lines.get(lines.size() - 1));
    }

    static JsonNode json(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
