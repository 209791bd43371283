package io.sidstream.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.core.testing.KafkaTestSupport;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `sidstream topics` against a running cluster: run twice, the second run finds everything in place. */
class TopicsCommandTest {

    private static KafkaTestSupport kafka;

    @BeforeAll
    static void startBroker() {
        kafka = KafkaTestSupport.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void isIdempotent() {
        String bootstrap = "kafka.bootstrap.servers=" + kafka.broker().bootstrapServers();

        Run first = run("topics", "--set", bootstrap, "--register-schemas");
        Run second = run("topics", "--set", bootstrap, "--register-schemas");

        assertThat(first.exitCode).isZero();
        assertThat(first.out).contains("engagements ").contains("CREATED").doesNotContain("EXISTS");
        assertThat(second.exitCode).isZero();
        assertThat(second.out).contains("EXISTS").doesNotContain("CREATED").doesNotContain("MISMATCH");
        // the same subjects get the same ids the second time
        assertThat(second.out.lines().filter(l -> l.contains("schema id")))
                .containsExactlyElementsOf(
                        first.out.lines().filter(l -> l.contains("schema id")).toList());
    }

    @Test
    void refusesTheEmbeddedPlaceholderWithAHint() {
        Run run = run("topics");

        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.err).contains("kafka.bootstrap.servers is 'embedded'").contains("sidstream up");
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SidstreamCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private record Run(int exitCode, String out, String err) {}
}
