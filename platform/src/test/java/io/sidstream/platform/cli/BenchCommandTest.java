package io.sidstream.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code sidstream bench} as the launcher wires it from the bench module: the benchmark names of the contract
 * (shared BENCHMARKS.md), each with its --seconds option. Running them is the benchmarks' own business, not a test's.
 */
class BenchCommandTest {

    @Test
    void theLauncherOffersEveryBenchmarkOfTheContract() {
        CommandLine bench = SidstreamCommand.commandLine().getSubcommands().get("bench");

        assertThat(bench.getSubcommands().keySet())
                .containsExactlyInAnyOrder(
                        "gateway",
                        "simulate",
                        "quantize",
                        "embed",
                        "sid-assign",
                        "windows",
                        "train",
                        "serve",
                        "serve-sweep");
        assertThat(bench.getSubcommands().values())
                .allSatisfy(command -> assertThat(command.getCommandSpec().findOption("--seconds"))
                        .isNotNull());
    }

    @Test
    void withoutANameItPrintsTheBenchmarksAndFails() {
        CommandLine cli = SidstreamCommand.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));

        int code = cli.execute("bench");

        assertThat(code).isEqualTo(2);
        assertThat(out.toString()).contains("sid-assign", "windows", "serve");
    }
}
