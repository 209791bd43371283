package io.sidstream.bench;

import io.sidstream.bench.ingest.GatewayBench;
import io.sidstream.bench.ingest.SimulateBench;
import io.sidstream.bench.serve.ServeBench;
import io.sidstream.bench.serve.ServeSweepBench;
import io.sidstream.bench.sid.EmbedBench;
import io.sidstream.bench.sid.QuantizeBench;
import io.sidstream.bench.sid.SidAssignBench;
import io.sidstream.bench.train.TrainBench;
import io.sidstream.bench.window.WindowsBench;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code sidstream bench <name>}: every benchmark of the platform. Each starts what it needs on the embedded
 * defaults, prints a table and, last, one JSON line of figures (see shared BENCHMARKS.md).
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Run a benchmark on the embedded defaults: a table, then one JSON line of figures.",
        subcommands = {
            GatewayBench.class,
            SimulateBench.class,
            QuantizeBench.class,
            EmbedBench.class,
            SidAssignBench.class,
            WindowsBench.class,
            TrainBench.class,
            ServeBench.class,
            ServeSweepBench.class
        })
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }
}
