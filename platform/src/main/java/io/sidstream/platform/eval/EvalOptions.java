package io.sidstream.trainer.cli;

import io.sidstream.trainer.train.Budget;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options every offline evaluation takes (`eval`, `eval-world`): protocol, training budget, decoding. */
public final class EvalOptions {

    @Option(names = "--prequential", description = "Replay in time order with training cycles; continuous vs frozen.")
    public boolean prequential;

    @Option(names = "--cycles", defaultValue = "6", description = "Time windows of the prequential run (default ${DEFAULT-VALUE}).")
    public int cycles;

    @Option(names = "--max-steps", defaultValue = "600", description = "Training steps (per cycle when prequential; default ${DEFAULT-VALUE}).")
    public long maxSteps;

    @Option(names = "--max-seconds", defaultValue = "300", description = "Training time limit in seconds (per cycle when prequential; default ${DEFAULT-VALUE}).")
    public long maxSeconds;

    @Option(names = "--beam", defaultValue = "20", description = "Beam width (default ${DEFAULT-VALUE}).")
    public int beam;

    @Option(names = "--max-cases", defaultValue = "1000", description = "Prequential: cases evaluated per cycle (default ${DEFAULT-VALUE}).")
    public int maxCases;

    public Budget budget() {
        return new Budget(maxSteps, Duration.ofSeconds(maxSeconds));
    }
}
